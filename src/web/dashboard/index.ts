/** GET /admin: the progress dashboard. Signs in by exchanging an API key for a session cookie; the key is not kept. */
import '../widget/index.js';
import { periodKeyOf, previousPeriodKey } from '../../domain/period.js';
import { fill, h } from '../shared/dom.js';
import { newestOnly } from '../shared/newest.js';
import { Api, ApiError, type Session } from './api.js';
import { CampaignEditor } from './campaign-editor.js';
import { monthsChart, type MonthFigures } from './chart.js';
import { DonationsPanel } from './donations.js';
import { OfflinePanel } from './import.js';
import { MonthlyDonorsPanel } from './monthly-donors.js';
import { StripeEventsPanel } from './stripe-events.js';
import { SourcesPanel } from './sources.js';
import { showError, toastElement } from './ui.js';
import { WebhooksPanel } from './webhooks.js';
import type { ResponseBody, Row } from '../shared/api.js';

type Me = ResponseBody<'/v1/admin/me', 'get'>;
type AdminCampaign = Row<'/v1/admin/campaigns'>;

const CHART_MONTHS = 12;
/** Live changes arrive in bursts (a payment is several Stripe events); redraw once per burst. */
const LIVE_REDRAW_MS = 400;

const root = document.getElementById('app')!;
document.body.append(toastElement());

function section(id: string, title: string, ...content: (Node | null)[]): HTMLElement {
  return h('section', { 'aria-labelledby': id }, h('h2', { id }, title), ...content);
}

function showSignIn(message = ''): void {
  const keyInput = h('input', { id: 'api-key', name: 'key', type: 'password', autocomplete: 'current-password', required: true, spellcheck: 'false' });
  const error = h('p', { class: 'error', role: 'alert' }, message);
  const form = h(
    'form',
    { class: 'sign-in', 'aria-labelledby': 'sign-in-title' },
    h('h1', { id: 'sign-in-title' }, 'Goalpost dashboard'),
    h('p', {}, 'Sign in with an API key. A read key shows the figures; an admin key can also refund, resend receipts and replay events.'),
    h('div', { class: 'field' }, h('label', { for: keyInput.id }, 'API key'), keyInput),
    error,
    h('button', { type: 'submit' }, 'Sign in'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void signIn(keyInput.value.trim()).catch((failure: unknown) => {
      error.textContent = failure instanceof ApiError && failure.status === 401 ? 'That key is not valid or has been revoked.' : String((failure as Error).message);
    });
  });
  fill(root, h('main', { class: 'narrow' }, form));
  keyInput.focus();
}

async function signIn(key: string): Promise<void> {
  await startSession(await Api.signIn(key));
}

async function startSession(session: Session): Promise<void> {
  const api = new Api(session.csrf_token, () => void showSignIn('Your session has ended or your API key was revoked. Sign in again.'));
  // The queue dashboard (an admin session's) reads the same HttpOnly cookie.
  await showDashboard(api, { name: session.name, scope: session.scope });
}

async function signOut(api: Api): Promise<void> {
  await api.settled();
  await api.delete('/v1/admin/sessions/current').catch(() => undefined);
  showSignIn();
}

async function allCampaigns(api: Api): Promise<AdminCampaign[]> {
  const campaigns: AdminCampaign[] = [];
  let cursor: string | undefined;
  do {
    const page = await api.get<{ data: AdminCampaign[]; next_cursor: string | null }>('/v1/admin/campaigns', { limit: 100, cursor });
    campaigns.push(...page.data);
    cursor = page.next_cursor ?? undefined;
  } while (cursor);
  return campaigns;
}

function chosenSlug(campaigns: AdminCampaign[]): string | undefined {
  const wanted = new URLSearchParams(location.hash.slice(1)).get('campaign');
  return campaigns.find((campaign) => campaign.slug === wanted)?.slug ?? campaigns.find((campaign) => campaign.status !== 'archived')?.slug ?? campaigns[0]?.slug;
}

async function showDashboard(api: Api, me: Me): Promise<void> {
  const campaigns = await allCampaigns(api);
  const canAct = me.scope === 'admin';
  const picker = h(
    'select',
    { id: 'campaign-picker' },
    campaigns.map((campaign) => h('option', { value: campaign.slug }, `${campaign.name} (${campaign.slug})${campaign.status === 'active' ? '' : ` · ${campaign.status}`}`)),
  );
  const content = h('div', { class: 'sections' });
  // A live redraw still pending at sign-out would read with a session that is gone.
  let stopLive = () => {};
  const endSession = () => {
    stopLive();
    void signOut(api);
  };
  const header = h(
    'header',
    { class: 'top' },
    h('h1', {}, 'Goalpost'),
    campaigns.length ? h('div', { class: 'field inline' }, h('label', { for: picker.id }, 'Campaign'), picker) : null,
    h(
      'div',
      { class: 'who' },
      h('span', {}, `Signed in as ${me.name} (${me.scope === 'admin' ? 'admin' : 'read only'})`),
      canAct ? h('button', { type: 'button', class: 'secondary', onclick: () => showCreate() }, 'New campaign') : null,
      canAct ? h('a', { href: '/admin/queues', target: '_blank', rel: 'noopener' }, 'Queues') : null,
      h('button', { type: 'button', class: 'secondary', onclick: endSession }, 'Sign out'),
    ),
  );
  fill(root, header, h('main', {}, content));

  const stripeEvents = new StripeEventsPanel(api, canAct);
  const webhooks = new WebhooksPanel(api, canAct);
  const shared = [
    section('stripe-events-title', 'Failed Stripe events', stripeEvents.element),
    section('webhooks-title', 'Webhook endpoints', webhooks.element),
  ];
  void stripeEvents.load();
  void webhooks.load();

  // After a create, an edit or a status change the whole page is drawn again from the API.
  const reopen = (slug: string) => {
    location.hash = `campaign=${encodeURIComponent(slug)}`;
    stopLive();
    void showDashboard(api, me);
  };
  const showCreate = () => {
    stopLive();
    const editor = new CampaignEditor(api, null, canAct, reopen, () => show(chosenSlug(campaigns)));
    fill(content, section('new-campaign-title', 'New campaign', editor.element));
    editor.focus();
  };
  const show = (slug: string | undefined) => {
    stopLive();
    const campaign = campaigns.find((candidate) => candidate.slug === slug);
    if (!campaign) {
      const empty = canAct
        ? h('p', { class: 'empty' }, 'No campaigns yet. ', h('button', { type: 'button', onclick: () => showCreate() }, 'Create a campaign'))
        : h('p', { class: 'empty' }, 'No campaigns yet. An admin key can create one.');
      fill(content, empty, shared);
      return;
    }
    picker.value = campaign.slug;
    const editor = new CampaignEditor(api, campaign, canAct, reopen);
    const settings = [
      section('settings-title', 'Campaign settings', editor.status, h('details', { class: 'settings' }, h('summary', {}, canAct ? 'Edit the campaign' : 'Show the settings'), editor.element)),
      canAct ? section('offline-title', 'Offline money', new OfflinePanel(api, campaign).element) : null,
    ].filter((element) => element !== null);
    stopLive = showCampaign(api, campaign, canAct, content, [...settings, ...shared]);
  };
  picker.addEventListener('change', () => {
    location.hash = `campaign=${encodeURIComponent(picker.value)}`;
    show(picker.value);
  });
  show(chosenSlug(campaigns));
}

/** Draws one campaign's sections; returns what stops its live updates. */
function showCampaign(api: Api, campaign: AdminCampaign, canAct: boolean, content: HTMLElement, shared: HTMLElement[]): () => void {
  const bar = h('goalpost-progress', { campaign: campaign.slug, api: location.origin, 'hide-donate': true });
  const embed = `<script src="${location.origin}/widget.js" async></script>\n<goalpost-progress campaign="${campaign.slug}"></goalpost-progress>`;
  const chart = h('div', { class: 'chart-wrap' }, 'Loading…');
  const donations = new DonationsPanel(api, campaign.slug, canAct);
  const sources = new SourcesPanel(api, campaign);
  const monthlyDonors = new MonthlyDonorsPanel(api, campaign);

  fill(
    content,
    section(
      'month-title',
      'This month',
      bar,
      h(
        'details',
        { class: 'embed' },
        h('summary', {}, 'Embed this bar and donate button on a page'),
        h('pre', {}, h('code', {}, embed)),
        h('a', { href: `/widget/demo?campaign=${encodeURIComponent(campaign.slug)}`, target: '_blank', rel: 'noopener' }, 'Open a preview page'),
      ),
    ),
    section('months-title', `Last ${CHART_MONTHS} months`, chart),
    section('monthly-donors-title', 'Monthly donors', monthlyDonors.element),
    section('sources-title', 'Money by source', sources.element),
    section('donations-title', 'Donations', donations.element),
    shared,
  );

  // An earlier, slower answer must not replace newer figures.
  const startDraw = newestOnly();
  const drawChart = async () => {
    const isNewest = startDraw();
    const to = periodKeyOf(new Date(), campaign.timezone);
    let from = to;
    for (let month = 1; month < CHART_MONTHS; month += 1) from = previousPeriodKey(from);
    const read = api.get<{ data: MonthFigures[] }>(`/v1/admin/campaigns/${encodeURIComponent(campaign.slug)}/months`, { from, to });
    // The monthly donors section reads its lists meanwhile and takes this month's row from the same answer.
    void monthlyDonors.load(read.then((months) => months.data[0]));
    try {
      const months = await read;
      if (!isNewest()) return;
      const figuresOpen = chart.querySelector('details')?.open ?? false;
      fill(chart, monthsChart(months.data, campaign.currency));
      // A live redraw keeps the figures table open if the person opened it.
      chart.querySelector('details')?.toggleAttribute('open', figuresOpen);
    } catch (error) {
      if (isNewest()) showError(chart, error);
    }
  };
  void drawChart();
  void donations.reload();
  void sources.load();

  // The bar already holds the live stream; its events drive the rest of the page.
  let first = true;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const onProgress = () => {
    if (first) {
      first = false;
      return;
    }
    clearTimeout(timer);
    timer = setTimeout(() => {
      void drawChart();
      void sources.load();
      donations.refreshIfFirstPage();
    }, LIVE_REDRAW_MS);
  };
  bar.addEventListener('goalpost-progress', onProgress);
  return () => {
    clearTimeout(timer);
    bar.removeEventListener('goalpost-progress', onProgress);
  };
}

Api.currentSession()
  .then((session) => (session ? startSession(session) : showSignIn()))
  .catch((error: unknown) => showSignIn(String((error as Error).message)));
