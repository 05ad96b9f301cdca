/** GET /widget.js: defines <goalpost-progress> and <goalpost-supporters>. Loaded by publishers' pages and by the dashboard. */
import { GoalpostProgressElement } from './element.js';
import { GoalpostSupportersElement } from './supporters-element.js';

if (!customElements.get('goalpost-progress')) customElements.define('goalpost-progress', GoalpostProgressElement);
if (!customElements.get('goalpost-supporters')) customElements.define('goalpost-supporters', GoalpostSupportersElement);

declare global {
  interface HTMLElementTagNameMap {
    'goalpost-progress': GoalpostProgressElement;
    'goalpost-supporters': GoalpostSupportersElement;
  }
}
