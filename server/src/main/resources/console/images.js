// Images: list (every role: imported images, and the templates' images of its projects); delete (admins). Importing
// reads a file on the server's machine (POST /api/v1/images takes its path), so the page gives the CLI command to run
// there rather than a form for a path the browser cannot choose.
import { h, size } from './dom.js';
import { del } from './api.js';
import { twoPress } from './resource-kit.js';

export const ID = 'images';
export const TITLE = 'Images';
export const PATH = '/api/v1/images';
export const LISTS = 'read';
export const ACTS = 'admin';

export const headers = () => ['Name', 'Format', 'Virtual size', 'File size', 'Used by', 'Host'];

export const cells = (i) => [i.name, i.format, i.virtual_size, size(i.file_size_bytes), i.used_by.join(', ') || 'none',
  i.host || 'imported'];

export function forms() {
  return {
    nodes: [h('p', { id: 'image-import-help' }, 'Import: the file must be on the server\'s machine (under /var/lib/polyvisor, /srv, ',
      '/var/tmp or /tmp). Run there: ', h('code', {}, 'polyvisor image import NAME --file /srv/images/disk.qcow2 [--format raw]'))],
  };
}

export function actions(i, ctx) {
  return twoPress(ctx.pending, 'delete', i.name, 'Delete', ctx.redraw,
    () => ctx.run(`delete ${i.name}`, () => del(`${PATH}/${encodeURIComponent(i.name)}`)));
}
