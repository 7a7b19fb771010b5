/**
 * The classic pager of the job list (when `jobList_usePaging` is set):
 * first/previous/next/last, the shown range and the page size.
 *
 * @module
 */

/** Props of {@link Pager}. */
export interface PagerProps {
  page: number;
  itemsPerPage: number;
  total: number;
  onPage: (page: number) => void;
  onSize: (itemsPerPage: number) => void;
}

/** Page sizes offered. */
export const PAGE_SIZES = [10, 25, 50];

/** The pager. */
export function Pager(props: PagerProps) {
  const last = Math.max(1, Math.ceil(props.total / props.itemsPerPage));
  const first = props.total === 0 ? 0 : (props.page - 1) * props.itemsPerPage + 1;
  const end = Math.min(props.total, props.page * props.itemsPerPage);
  const button = (label: string, icon: string, page: number, disabled: boolean) => (
    <li class={`page-item${disabled ? " disabled" : ""}`}>
      <button
        type="button"
        class="page-link"
        aria-label={label}
        disabled={disabled}
        onClick={() =>
          props.onPage(page)}
      >
        <i class={`bi bi-${icon}`}></i>
      </button>
    </li>
  );
  return (
    <nav class="d-flex flex-wrap gap-2 align-items-center" aria-label="Job list pages">
      <ul class="pagination mb-0">
        {button("First page", "chevron-double-left", 1, props.page <= 1)}
        {button("Previous page", "chevron-left", props.page - 1, props.page <= 1)}
        {button("Next page", "chevron-right", props.page + 1, props.page >= last)}
        {button("Last page", "chevron-double-right", last, props.page >= last)}
      </ul>
      <span class="cc-page-range">{first} - {end} of {props.total} Jobs</span>
      <select
        class="form-select w-auto"
        aria-label="Jobs per page"
        value={props.itemsPerPage}
        onChange={(e) => props.onSize(Number((e.target as HTMLSelectElement).value))}
      >
        {[...new Set([...PAGE_SIZES, props.itemsPerPage])].sort((a, b) => a - b).map((n) => (
          <option key={n} value={n}>{n} per page</option>
        ))}
      </select>
    </nav>
  );
}
