// Projects (admins): list with quota and usage; create with a quota, change a quota, delete an empty project.
import { h, size } from './dom.js';
import { del, post, put } from './api.js';
import { bytes, form, input, number, optional, select, twoPress } from './resource-kit.js';

export const ID = 'projects';
export const TITLE = 'Projects';
export const PATH = '/api/v1/projects';
export const LISTS = 'admin';
export const ACTS = 'admin';

const limit = (v, show = String) => (v === null || v === undefined ? 'no limit' : show(v));

export const headers = () => ['Name', 'vCPUs', 'Memory', 'VMs'];

/** Each limit as "used / limit". */
export function cells(p) {
  return [p.name, `${p.usage.vcpus} / ${limit(p.quota.vcpus)}`, `${size(p.usage.memory_bytes)} / ${limit(p.quota.memory_bytes, size)}`,
    `${p.usage.vms} / ${limit(p.quota.vms)}`];
}

/** The quota fields of a form; empty ones are left out (create: no limit; change: kept), "none" lifts a limit. */
function quotaFields(prefix) {
  const vcpus = input(`${prefix}-vcpus`, { inputmode: 'numeric', placeholder: 'no limit' });
  const memory = input(`${prefix}-memory`, { placeholder: 'e.g. 64G' });
  const vms = input(`${prefix}-vms`, { inputmode: 'numeric', placeholder: 'no limit' });
  const read = () => {
    const q = {};
    const val = (control, parse) => (control.value.trim() === 'none' ? null : parse(control));
    optional(q, 'vcpus', val(vcpus, number));
    optional(q, 'memory_bytes', val(memory, (c) => (c.value.trim() === '' ? '' : bytes(c.value))));
    optional(q, 'vms', val(vms, number));
    return q;
  };
  return { fields: [['vCPU limit', vcpus], ['Memory limit', memory], ['VM limit', vms]], read };
}

export function forms(ctx) {
  const name = input('project-name');
  const create = quotaFields('project-quota');
  const which = select('project-update-name');
  const change = quotaFields('project-update');
  return {
    nodes: [
      form('project-create-form', [['Name', name], ...create.fields], 'Create project', () => {
        const body = { name: name.value.trim() };
        const quota = create.read();
        if (Object.keys(quota).length) body.quota = quota;
        return ctx.act(() => post(PATH, body));
      }),
      form('project-update-form', [['Project', which], ...change.fields], 'Change quota',
        () => ctx.act(() => put(`${PATH}/${encodeURIComponent(which.value)}`, { quota: change.read() }))),
      h('p', { class: 'muted' }, 'Change quota: an empty field keeps its limit, none lifts it.'),
    ],
    update(data) { which.fill(data.projects.map((p) => p.name)); },
  };
}

export function actions(p, ctx) {
  if (p.name === 'default') return []; // the API never deletes it: VMs created without a project go there
  return twoPress(ctx.pending, 'delete', p.name, 'Delete', ctx.redraw,
    () => ctx.run(`delete ${p.name}`, () => del(`${PATH}/${encodeURIComponent(p.name)}`)));
}
