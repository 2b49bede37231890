// Volumes: list (any role, its projects'); create empty or over an image, grow, delete (operators and admins).
import { del, post } from './api.js';
import { form, input, optional, projectInput, select, twoPress } from './resource-kit.js';

export const ID = 'volumes';
export const TITLE = 'Volumes';
export const PATH = '/api/v1/volumes';
export const LISTS = 'read';
export const ACTS = 'operate';

export const headers = () => ['Name', 'Project', 'Host', 'Size', 'Image', 'VM'];

export const cells = (v) => [v.name, v.project, v.host, v.size, v.image || '', v.vm || 'free'];

export function forms(ctx) {
  const name = input('volume-name');
  const size = input('volume-size', { placeholder: '10G (default with an image: its size)' });
  const image = input('volume-image', { placeholder: 'none: empty' });
  const host = input('volume-host', { placeholder: 'the pool with most room' });
  const project = projectInput('volume-project', ctx.me);
  const which = select('volume-resize-name');
  const grow = input('volume-resize-size', { placeholder: 'e.g. 20G' });
  return {
    nodes: [
      form('volume-create-form', [['Name', name], ['Size', size], ['From image', image], ['Host', host], ['Project', project]],
        'Create volume', () => {
          const body = { name: name.value.trim() };
          for (const [key, control] of [['size', size], ['image', image], ['host', host], ['project', project]]) {
            optional(body, key, control.value.trim());
          }
          return ctx.act(() => post(PATH, body));
        }),
      form('volume-resize-form', [['Volume', which], ['New size', grow]], 'Grow volume',
        () => ctx.act(() => post(`${PATH}/${encodeURIComponent(which.value)}/resize`, { size: grow.value.trim() }))),
    ],
    update(data) { which.fill(data.volumes.map((v) => v.name)); },
  };
}

export function actions(v, ctx) {
  return twoPress(ctx.pending, 'delete', v.name, 'Delete', ctx.redraw,
    () => ctx.run(`delete ${v.name}`, () => del(`${PATH}/${encodeURIComponent(v.name)}`)));
}
