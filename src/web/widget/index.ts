/** GET /widget.js: defines <goalpost-progress>. Loaded by publishers' pages and by the dashboard. */
import { GoalpostProgressElement } from './element.js';

if (!customElements.get('goalpost-progress')) customElements.define('goalpost-progress', GoalpostProgressElement);

declare global {
  interface HTMLElementTagNameMap {
    'goalpost-progress': GoalpostProgressElement;
  }
}
