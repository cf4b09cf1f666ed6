import type { TTicketFilters } from '../../../shared/schemas/tickets.ts';
import type { TView } from '../../../shared/schemas/views.ts';
import type { TSavedViewRow } from './view.repository.ts';

/** A saved view on the wire: its id is the row id as a string, beside the built-in ids. */
export const mapSavedView = (row: TSavedViewRow, filters: TTicketFilters, count: number): TView => ({
  id: String(row.id),
  kind: 'saved',
  name: row.name,
  filters,
  count,
});
