/**
 * The sort dialog: job columns and footprint values; clicking the chosen
 * entry again flips the direction.
 *
 * @module
 */
import { useState } from "preact/hooks";
import { COLUMN_SORTS, DEFAULT_SORT, type JobSort } from "../lib/job_filters.ts";
import type { GlobalMetric } from "../lib/job_list_types.ts";
import { FilterModal as Modal } from "./filter_modal.tsx";

/** Every sort option: columns, then one per footprint metric. */
export function sortOptions(metrics: readonly GlobalMetric[]): [JobSort, string][] {
  return [
    ...COLUMN_SORTS.map(([field, label]): [JobSort, string] => [
      { field, type: "col", order: "DESC" },
      label,
    ]),
    ...metrics.filter((m) => m.footprint).map((m): [JobSort, string] => [
      { field: `${m.name}_${m.footprint}`, type: "foot", order: "DESC" },
      `${m.name} (${m.footprint})`,
    ]),
  ];
}

/** Props of {@link SortDialog}. */
export interface SortDialogProps {
  sort: JobSort;
  metrics: GlobalMetric[];
  onApply: (sort: JobSort) => void;
  onClose: () => void;
}

/** The dialog. */
export function SortDialog(props: SortDialogProps) {
  const [sort, setSort] = useState(props.sort);
  return (
    <Modal
      title="Sort rows"
      onClose={props.onClose}
      onApply={() => props.onApply(sort)}
      onReset={() => props.onApply(DEFAULT_SORT)}
    >
      <div class="list-group">
        {sortOptions(props.metrics).map(([option, label]) => {
          const active = option.field === sort.field;
          return (
            <button
              key={option.field}
              type="button"
              class={`list-group-item list-group-item-action d-flex justify-content-between${
                active ? " active" : ""
              }`}
              aria-pressed={active}
              onClick={() =>
                setSort(
                  active
                    ? { ...sort, order: sort.order === "ASC" ? "DESC" : "ASC" }
                    : { ...option, order: "DESC" },
                )}
            >
              {label}
              {active && (
                <i
                  class={`bi bi-sort-${sort.order === "ASC" ? "up" : "down"}`}
                  aria-label={sort.order === "ASC" ? "ascending" : "descending"}
                >
                </i>
              )}
            </button>
          );
        })}
      </div>
    </Modal>
  );
}
