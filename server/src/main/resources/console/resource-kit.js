// What the Resources view's kinds share: forms whose refusals show the API's own problem+json detail, optional
// fields left out of the body, and the two-press delete of the VM list. No validation here: the API validates.
import { h } from './dom.js';

/**
 * A labelled form: fields is [[label, control], ...]; submit() builds and sends the request. A refusal shows the
 * API's detail in the form's own error line (id ID-error, role=alert); success clears the text fields. The button is
 * disabled while the request is out.
 */
export function form(id, fields, buttonLabel, submit) {
  const error = h('p', { id: `${id}-error`, class: 'error', role: 'alert' });
  const button = h('button', { type: 'submit' }, buttonLabel);
  const el = h('form', { id, class: 'inline', novalidate: true, onsubmit: send },
    ...fields.map(([label, control]) => h('label', {}, label, control)), button);
  async function send(event) {
    event.preventDefault();
    if (button.disabled) return;
    error.textContent = '';
    button.disabled = true; // one request at a time; enabled again once it is answered and the lists re-read
    try {
      await submit();
      for (const [, control] of fields) if (control.tagName === 'INPUT' && control.dataset.keep === undefined) control.value = control.defaultValue;
    } catch (e) {
      error.textContent = e.message;
    } finally {
      button.disabled = false;
    }
  }
  return h('div', { class: 'resource-form' }, el, error);
}

/** A text input (attrs as dom.h's); data-keep keeps its value after a send. */
export const input = (id, attrs = {}) => h('input', { id, name: id, autocomplete: 'off', ...attrs });

/**
 * The project field of a create form, offering the project names the view lists (datalist project-names). Empty
 * means project default, which an admin may use; an operator's field starts at (and keeps) its first project.
 */
export function projectInput(id, me) {
  const own = me.role === 'admin' ? null : me.projects[0];
  return input(id, { list: 'project-names', placeholder: 'default', value: own, 'data-keep': own !== null && own !== undefined });
}

/** A select of options [value, label] (or value), keeping what was chosen when its options are redrawn by fill. */
export function select(id, options = []) {
  const el = h('select', { id, name: id });
  el.fill = (values) => {
    const chosen = el.value;
    el.replaceChildren(...values.map((v) => {
      const [value, label] = Array.isArray(v) ? v : [v, v];
      return h('option', { value, selected: value === chosen }, label);
    }));
  };
  el.fill(options);
  return el;
}

/** body with key set to value unless value is '' (an optional field left empty is left out, as the CLI does). */
export function optional(body, key, value) {
  if (value !== '' && value !== undefined) body[key] = value;
  return body;
}

/** A number field's value as a number, or its text when it is not one (the API then says what is wrong). */
export function number(control) {
  const text = control.value.trim();
  return text === '' ? '' : Number.isFinite(Number(text)) ? Number(text) : text;
}

/** "8G", "512M", "1.5T", "1024" -> bytes, as the CLI's --quota memory=SIZE; anything else is sent as typed. */
export function bytes(text) {
  const m = /^(\d+(?:\.\d+)?)\s*([KMGT]?)(?:i?B)?$/i.exec(text.trim());
  if (!m) return text.trim();
  return Math.round(Number(m[1]) * 1024 ** ' KMGT'.indexOf(m[2].toUpperCase() || ' '));
}

/**
 * Row buttons that delete (or revoke...) in two presses: the first turns the button into "VERB NAME?" with Cancel
 * beside it. pending is the view's set of "action name" keys awaiting their second press; redraw redraws the rows.
 */
export function twoPress(pending, action, name, verb, redraw, work) {
  const key = `${action} ${name}`;
  if (!pending.has(key)) {
    return [h('button', { type: 'button', 'data-action': action, onclick: () => { pending.add(key); redraw(); } }, verb)];
  }
  return [
    h('button', { type: 'button', 'data-action': `confirm-${action}`, class: 'danger',
      onclick: () => { pending.delete(key); work(); } }, `${verb} ${name}?`),
    h('button', { type: 'button', 'data-action': `cancel-${action}`, onclick: () => { pending.delete(key); redraw(); } }, 'Cancel'),
  ];
}
