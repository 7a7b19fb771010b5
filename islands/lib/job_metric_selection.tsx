/**
 * The metric chooser of the job view ("Select Metrics"): a checkbox per
 * metric of the subcluster with up/down buttons for the order; "Close &
 * Apply" stores the choice for the viewer with cc-backend's
 * `updateConfiguration` mutation under `<key>:<cluster>:<subCluster>`.
 *
 * @module
 */
import { useState } from "preact/hooks";
import { gql } from "./graphql.ts";
import { Modal } from "./job_modal.tsx";

/** Props of {@link MetricSelection}. */
export interface MetricSelectionProps {
  /** Every metric that can be chosen, in display order. */
  available: string[];
  selected: string[];
  /** The configuration key to store the choice under. */
  configKey: string;
  onApply: (selected: string[]) => void;
  onClose: () => void;
}

/** The GraphQL operation, as cc-backend's UI sends it. */
export const UPDATE_CONFIGURATION = `mutation ($name: String!, $value: String!) {
  updateConfiguration(name: $name, value: $value)
}`;

/** Selected metrics first (in their order), then the others. */
export function selectionOrder(
  available: readonly string[],
  selected: readonly string[],
): string[] {
  const chosen = selected.filter((m) => available.includes(m));
  return [...chosen, ...available.filter((m) => !chosen.includes(m))];
}

/** The chooser dialog. */
export function MetricSelection(props: MetricSelectionProps) {
  const [order, setOrder] = useState(() => selectionOrder(props.available, props.selected));
  const [checked, setChecked] = useState(() => new Set(props.selected));
  const [error, setError] = useState("");
  const [saving, setSaving] = useState(false);

  const move = (i: number, by: number) => {
    const j = i + by;
    if (j < 0 || j >= order.length) return;
    const next = [...order];
    [next[i], next[j]] = [next[j], next[i]];
    setOrder(next);
  };
  const toggle = (m: string) => {
    const next = new Set(checked);
    if (next.has(m)) next.delete(m);
    else next.add(m);
    setChecked(next);
  };
  const apply = async () => {
    const chosen = order.filter((m) => checked.has(m));
    setSaving(true);
    try {
      await gql(UPDATE_CONFIGURATION, { name: props.configKey, value: JSON.stringify(chosen) });
      props.onApply(chosen);
    } catch (e) {
      setError(`Cannot store the selection: ${(e as Error).message}`);
      setSaving(false);
    }
  };

  return (
    <Modal
      title="Configure columns (Metric availability shown)"
      onClose={props.onClose}
      footer={
        <>
          <button type="button" class="btn btn-primary" disabled={saving} onClick={apply}>
            Close &amp; Apply
          </button>
          <button type="button" class="btn btn-secondary" onClick={props.onClose}>Cancel</button>
        </>
      }
    >
      {error && <div class="alert alert-danger py-1">{error}</div>}
      <ul class="list-group">
        {order.map((m, i) => (
          <li key={m} class="list-group-item d-flex align-items-center gap-2">
            <input
              class="form-check-input mt-0"
              type="checkbox"
              id={`cc-metric-${m}`}
              checked={checked.has(m)}
              onChange={() => toggle(m)}
            />
            <label class="form-check-label flex-grow-1" for={`cc-metric-${m}`}>{m}</label>
            <button
              type="button"
              class="btn btn-sm btn-link p-0"
              aria-label={`Move ${m} up`}
              disabled={i === 0}
              onClick={() => move(i, -1)}
            >
              <i class="bi bi-arrow-up" aria-hidden="true"></i>
            </button>
            <button
              type="button"
              class="btn btn-sm btn-link p-0"
              aria-label={`Move ${m} down`}
              disabled={i === order.length - 1}
              onClick={() => move(i, 1)}
            >
              <i class="bi bi-arrow-down" aria-hidden="true"></i>
            </button>
          </li>
        ))}
      </ul>
    </Modal>
  );
}
