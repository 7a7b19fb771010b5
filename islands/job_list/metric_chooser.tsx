/**
 * The metric column chooser (and the user view's histogram chooser): a
 * checked, ordered list of the metrics available on the selected cluster,
 * optionally the footprint column switch. "Close & Apply" hands back the
 * choice; the caller stores it with `updateConfiguration`.
 *
 * @module
 */
import { useState } from "preact/hooks";
import type { GlobalMetric } from "../lib/job_list_types.ts";
import { FilterModal as Modal } from "./filter_modal.tsx";

/** Props of {@link MetricChooser}. */
export interface MetricChooserProps {
  title: string;
  /** The metrics offered. */
  metrics: GlobalMetric[];
  selected: string[];
  /** Present: offers the footprint column switch. */
  footprint?: boolean;
  onApply: (selected: string[], footprint: boolean) => void;
  onClose: () => void;
}

function availability(m: GlobalMetric): string {
  return m.availability.map((a) => `${a.cluster} (${a.subClusters.join(", ")})`).join(", ");
}

/** The dialog. */
export function MetricChooser(props: MetricChooserProps) {
  const names = props.metrics.map((m) => m.name);
  // Selected first in their order, then the rest.
  const [order, setOrder] = useState(() => [
    ...props.selected.filter((n) => names.includes(n)),
    ...names.filter((n) => !props.selected.includes(n)),
  ]);
  const [selected, setSelected] = useState(props.selected.filter((n) => names.includes(n)));
  const [footprint, setFootprint] = useState(props.footprint ?? false);
  const move = (i: number, by: number) => {
    const next = [...order];
    [next[i], next[i + by]] = [next[i + by], next[i]];
    setOrder(next);
  };
  return (
    <Modal
      title={props.title}
      onClose={props.onClose}
      onApply={() => props.onApply(order.filter((n) => selected.includes(n)), footprint)}
    >
      {props.footprint !== undefined && (
        <div class="form-check form-switch mb-3">
          <input
            class="form-check-input"
            type="checkbox"
            id="show-footprint"
            checked={footprint}
            onChange={(e) => setFootprint((e.target as HTMLInputElement).checked)}
          />
          <label class="form-check-label" for="show-footprint">Show Footprint</label>
        </div>
      )}
      {order.length === 0 && <p>No metrics available.</p>}
      <ul class="list-group">
        {order.map((name, i) => {
          const metric = props.metrics.find((m) => m.name === name)!;
          return (
            <li class="list-group-item d-flex align-items-center gap-2" key={name}>
              <input
                class="form-check-input mt-0"
                type="checkbox"
                id={`metric-${name}`}
                checked={selected.includes(name)}
                onChange={(e) =>
                  setSelected(
                    (e.target as HTMLInputElement).checked
                      ? [...selected, name]
                      : selected.filter((n) => n !== name),
                  )}
              />
              <label class="flex-grow-1" for={`metric-${name}`}>
                {name}
                <small class="d-block text-body-secondary">{availability(metric)}</small>
              </label>
              <button
                type="button"
                class="btn btn-sm btn-outline-secondary"
                aria-label={`Move ${name} up`}
                disabled={i === 0}
                onClick={() => move(i, -1)}
              >
                <i class="bi bi-arrow-up"></i>
              </button>
              <button
                type="button"
                class="btn btn-sm btn-outline-secondary"
                aria-label={`Move ${name} down`}
                disabled={i === order.length - 1}
                onClick={() => move(i, 1)}
              >
                <i class="bi bi-arrow-down"></i>
              </button>
            </li>
          );
        })}
      </ul>
    </Modal>
  );
}
