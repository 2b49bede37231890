// Templates and clones: list templates (any role, its projects'); make one of a stopped VM with one disk, make a linked
// clone of one (a new VM over a copy-on-write volume on the template's host), delete one no clone uses, and make a full
// clone of a stopped VM (full copies of its disks, on its host) (operators and admins). The same REST routes as
// `polyvisor vm template`, `vm clone --linked`, `template delete` and `vm clone`.
import { del, post } from './api.js';
import { form, input, optional, select, twoPress } from './resource-kit.js';

export const ID = 'templates';
export const TITLE = 'Templates';
export const PATH = '/api/v1/templates';
export const LISTS = 'read';
export const ACTS = 'operate';

export const headers = () => ['Name', 'Project', 'Host', 'From VM', 'vCPUs', 'Memory', 'Disk', 'Used by'];

export const cells = (t) => [t.name, t.project, t.host, t.source, t.vcpus, t.memory, t.disk_size, t.used_by.join(', ') || 'none'];

export function forms(ctx) {
  const vm = input('template-vm', { placeholder: 'a stopped VM with one disk' });
  const name = input('template-name');
  const project = input('template-project', { list: 'project-names', placeholder: "the VM's" });
  const which = select('clone-template');
  const clone = input('clone-name');
  const start = input('clone-start', { type: 'checkbox', checked: true });
  const cloneProject = input('clone-project', { list: 'project-names', placeholder: "the template's" });
  const source = input('full-clone-vm', { placeholder: 'a stopped VM' });
  const copy = input('full-clone-name');
  const copyStart = input('full-clone-start', { type: 'checkbox', checked: true });
  return {
    nodes: [
      form('template-create-form', [['VM', vm], ['Template', name], ['Project', project]], 'Make template', () => {
        const body = optional({ name: name.value.trim() }, 'project', project.value.trim());
        return ctx.act(() => post(`/api/v1/vms/${encodeURIComponent(vm.value.trim())}/template`, body));
      }),
      form('template-clone-form', [['Template', which], ['New VM', clone], ['Start it', start], ['Project', cloneProject]],
        'Linked clone', () => {
          const body = optional({ name: clone.value.trim(), start: start.checked }, 'project', cloneProject.value.trim());
          return ctx.act(() => post(`${PATH}/${encodeURIComponent(which.value)}/clones`, body));
        }),
      form('full-clone-form', [['VM', source], ['New VM', copy], ['Start it', copyStart]], 'Full clone', () =>
        ctx.act(() => post(`/api/v1/vms/${encodeURIComponent(source.value.trim())}/clone`,
          { name: copy.value.trim(), start: copyStart.checked }))),
    ],
    update(data) { which.fill(data.templates.map((t) => t.name)); },
  };
}

export function actions(t, ctx) {
  return twoPress(ctx.pending, 'delete', t.name, 'Delete', ctx.redraw,
    () => ctx.run(`delete ${t.name}`, () => del(`${PATH}/${encodeURIComponent(t.name)}`)));
}
