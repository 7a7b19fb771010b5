/**
 * The filter dialogs of the job list: cluster/partition, job states,
 * start time, duration, tags, resources, energy and footprint statistics.
 * Each edits a draft and hands the changed keys to `onApply`.
 *
 * @module
 */
import type { JSX } from "preact";
import { useState } from "preact/hooks";
import type { FilterKind } from "../lib/filter_pills.ts";
import { SHARED_LABELS, START_RANGES } from "../lib/filter_pills.ts";
import { JOB_STATES, type JobFilterState, type Range } from "../lib/job_filters.ts";
import { metricsOn } from "../lib/job_list_config.ts";
import type { ClusterInfo, GlobalMetric, TagInfo } from "../lib/job_list_types.ts";
import { unitText } from "../lib/plot_units.ts";
import { FilterModal as Modal } from "./filter_modal.tsx";

/** Props of {@link FilterDialog}. */
export interface FilterDialogProps {
  kind: FilterKind;
  filter: JobFilterState;
  clusters: ClusterInfo[];
  tags: TagInfo[];
  globalMetrics: GlobalMetric[];
  /** Keys to change (undefined: remove). */
  onApply: (patch: Partial<JobFilterState>) => void;
  onClose: () => void;
}

type Inner = Omit<FilterDialogProps, "kind">;

const value = (e: Event) => (e.target as HTMLInputElement).value;
const checked = (e: Event) => (e.target as HTMLInputElement).checked;

function Choice(props: { label: string; active: boolean; onClick: () => void }) {
  return (
    <button
      type="button"
      class={`list-group-item list-group-item-action${props.active ? " active" : ""}`}
      aria-pressed={props.active}
      onClick={props.onClick}
    >
      {props.label}
    </button>
  );
}

function ClusterDialog({ filter, clusters, onApply, onClose }: Inner) {
  const [c, setC] = useState(filter.cluster);
  const [sc, setSc] = useState(filter.subCluster);
  const [p, setP] = useState(filter.partition);
  const cluster = clusters.find((x) => x.name === c);
  const pick = (name?: string) => {
    setC(name);
    setSc(undefined);
    setP(undefined);
  };
  return (
    <Modal
      title="Select Cluster"
      onClose={onClose}
      onApply={() => onApply({ cluster: c, subCluster: sc, partition: p })}
      onReset={() => onApply({ cluster: undefined, subCluster: undefined, partition: undefined })}
    >
      <div class="list-group">
        <Choice label="Any Cluster" active={!c} onClick={() => pick()} />
        {clusters.map((x) => (
          <Choice
            key={x.name}
            label={x.name}
            active={c === x.name}
            onClick={() => pick(x.name)}
          />
        ))}
      </div>
      {cluster && (
        <>
          <h6 class="mt-3">SubCluster</h6>
          <div class="list-group">
            <Choice label="Any SubCluster" active={!sc} onClick={() => setSc(undefined)} />
            {cluster.subClusters.map((s) => (
              <Choice
                key={s.name}
                label={s.name}
                active={sc === s.name}
                onClick={() => setSc(s.name)}
              />
            ))}
          </div>
          <h6 class="mt-3">Partition</h6>
          <div class="list-group">
            <Choice label="Any Partition" active={!p} onClick={() => setP(undefined)} />
            {cluster.partitions.map((x) => (
              <Choice
                key={x}
                label={x}
                active={p === x}
                onClick={() => setP(x)}
              />
            ))}
          </div>
        </>
      )}
    </Modal>
  );
}

function Radios(
  props: { name: string; options: [string, string][]; value?: string; set: (v?: string) => void },
) {
  return (
    <div>
      {[["", "All"], ...props.options].map(([v, label]) => (
        <div class="form-check form-check-inline" key={v}>
          <input
            class="form-check-input"
            type="radio"
            name={props.name}
            id={`${props.name}-${v}`}
            checked={(props.value ?? "") === v}
            onChange={() =>
              props.set(v || undefined)}
          />
          <label class="form-check-label" for={`${props.name}-${v}`}>{label}</label>
        </div>
      ))}
    </div>
  );
}

function StateDialog({ filter, onApply, onClose }: Inner) {
  const [states, setStates] = useState<string[]>(filter.state ?? [...JOB_STATES]);
  const [shared, setShared] = useState(filter.shared);
  const [schedule, setSchedule] = useState(filter.schedule);
  const all = states.length === JOB_STATES.length;
  return (
    <Modal
      title="Select Job States"
      onClose={onClose}
      onApply={() => onApply({ state: all ? undefined : states, shared, schedule })}
      onReset={() => onApply({ state: undefined, shared: undefined, schedule: undefined })}
    >
      <button
        type="button"
        class="btn btn-sm btn-outline-secondary mb-2"
        onClick={() => setStates(all ? [] : [...JOB_STATES])}
      >
        {all ? "Deselect All" : "Select All"}
      </button>
      {JOB_STATES.map((s) => (
        <div class="form-check" key={s}>
          <input
            class="form-check-input"
            type="checkbox"
            id={`state-${s}`}
            checked={states.includes(s)}
            onChange={(e) =>
              setStates(
                checked(e)
                  ? JOB_STATES.filter((x) => x === s || states.includes(x))
                  : states.filter((x) => x !== s),
              )}
          />
          <label class="form-check-label" for={`state-${s}`}>{s}</label>
        </div>
      ))}
      <h6 class="mt-3">Resource Sharing</h6>
      <Radios
        name="shared"
        options={Object.entries(SHARED_LABELS)}
        value={shared}
        set={setShared}
      />
      <h6 class="mt-3">Processing Type</h6>
      <Radios
        name="schedule"
        options={[["interactive", "Interactive"], ["batch", "Batch Process"]]}
        value={schedule}
        set={setSchedule}
      />
    </Modal>
  );
}

const pad = (n: number) => String(n).padStart(2, "0");

/** Unix seconds as a `datetime-local` value (local time). */
function toLocal(seconds?: number): string {
  if (!seconds) return "";
  const d = new Date(seconds * 1000);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${
    pad(d.getMinutes())
  }`;
}

function fromLocal(text: string, endOfMinute = false): number | undefined {
  const ms = new Date(text).getTime();
  return Number.isNaN(ms) ? undefined : Math.floor(ms / 1000) + (endOfMinute ? 59 : 0);
}

function StartTimeDialog({ filter, onApply, onClose }: Inner) {
  const st = filter.startTime;
  const [range, setRange] = useState(st?.range ?? "");
  const [from, setFrom] = useState(st?.range ? "" : toLocal(st?.from));
  const [to, setTo] = useState(st?.range ? "" : toLocal(st?.to));
  const apply = () => {
    if (range) return onApply({ startTime: { range } });
    const f = fromLocal(from);
    const t = fromLocal(to, true);
    onApply({ startTime: f || t ? { from: f, to: t } : undefined });
  };
  return (
    <Modal
      title="Select Start Time"
      onClose={onClose}
      onApply={apply}
      onReset={() => onApply({ startTime: undefined })}
    >
      <label class="form-label" for="st-range">Range</label>
      <select
        id="st-range"
        class="form-select mb-3"
        value={range}
        onChange={(e) => setRange(value(e))}
      >
        <option value="">Custom</option>
        {Object.entries(START_RANGES).map(([k, label]) => <option key={k} value={k}>{label}
        </option>)}
      </select>
      {!range && (
        <div class="row g-2">
          <div class="col">
            <label class="form-label" for="st-from">From</label>
            <input
              id="st-from"
              class="form-control"
              type="datetime-local"
              value={from}
              onInput={(e) => setFrom(value(e))}
            />
          </div>
          <div class="col">
            <label class="form-label" for="st-to">To</label>
            <input
              id="st-to"
              class="form-control"
              type="datetime-local"
              value={to}
              onInput={(e) => setTo(value(e))}
            />
          </div>
        </div>
      )}
    </Modal>
  );
}

/** A duration as hours and minutes inputs. */
function HoursMinutes(props: { id: string; seconds: number; set: (s: number) => void }) {
  const h = Math.floor(props.seconds / 3600);
  const m = Math.floor(props.seconds / 60) % 60;
  const num = (e: Event) => Math.max(0, Math.floor(Number(value(e)) || 0));
  return (
    <div class="input-group">
      <input
        id={props.id}
        class="form-control"
        type="number"
        min="0"
        value={h}
        aria-label="hours"
        onInput={(e) => props.set(num(e) * 3600 + m * 60)}
      />
      <span class="input-group-text">h</span>
      <input
        class="form-control"
        type="number"
        min="0"
        max="59"
        value={m}
        aria-label="minutes"
        onInput={(e) => props.set(h * 3600 + num(e) * 60)}
      />
      <span class="input-group-text">m</span>
    </div>
  );
}

function DurationDialog({ filter, onApply, onClose }: Inner) {
  const d = filter.duration ?? {};
  const initial = d.lessThan ? "lessThan" : d.moreThan ? "moreThan" : "between";
  const [mode, setMode] = useState(initial);
  const [a, setA] = useState(d.lessThan ?? d.moreThan ?? d.from ?? 0);
  const [b, setB] = useState(d.to ?? 0);
  const apply = () => {
    if (mode === "between") return onApply({ duration: a || b ? { from: a, to: b } : undefined });
    onApply({ duration: a ? { [mode]: a } : undefined });
  };
  return (
    <Modal
      title="Select Job Duration"
      onClose={onClose}
      onApply={apply}
      onReset={() => onApply({ duration: undefined })}
    >
      <Radios
        name="duration-mode"
        options={[["lessThan", "Less than"], ["moreThan", "More than"], ["between", "Between"]]}
        value={mode}
        set={(v) => setMode(v ?? "between")}
      />
      <div class="mt-3">
        <HoursMinutes id="duration-a" seconds={a} set={setA} />
        {mode === "between" && (
          <>
            <div class="text-center my-1">and</div>
            <HoursMinutes id="duration-b" seconds={b} set={setB} />
          </>
        )}
      </div>
    </Modal>
  );
}

function TagsDialog({ filter, tags, onApply, onClose }: Inner) {
  const [selected, setSelected] = useState<number[]>(filter.tags ?? []);
  const [term, setTerm] = useState("");
  const shown = tags.filter((t) =>
    `${t.type}: ${t.name}`.toLowerCase().includes(term.trim().toLowerCase())
  );
  return (
    <Modal
      title="Select Tags"
      onClose={onClose}
      onApply={() => onApply({ tags: selected.length ? selected : undefined })}
      onReset={() => onApply({ tags: undefined })}
    >
      <input
        class="form-control mb-2"
        type="search"
        placeholder="Search tags (type: name)"
        aria-label="Search tags"
        value={term}
        onInput={(e) => setTerm(value(e))}
      />
      {shown.length === 0 && <p class="text-body-secondary">No tags found.</p>}
      {shown.map((t) => {
        const id = Number(t.id);
        return (
          <div class="form-check" key={t.id}>
            <input
              class="form-check-input"
              type="checkbox"
              id={`tag-${t.id}`}
              checked={selected.includes(id)}
              onChange={(e) =>
                setSelected(checked(e) ? [...selected, id] : selected.filter((x) => x !== id))}
            />
            <label class="form-check-label" for={`tag-${t.id}`}>{t.type}: {t.name}</label>
          </div>
        );
      })}
    </Modal>
  );
}

/** "from" and "to" number inputs; 0 or empty leaves an end open. */
function RangeRow(
  props: { id: string; label: string; range?: Range; set: (r: Range) => void; unit?: string },
) {
  const r = props.range ?? { from: 0, to: 0 };
  const num = (e: Event) => Math.max(0, Number(value(e)) || 0);
  return (
    <div class="mb-3">
      <label class="form-label" for={props.id}>
        {props.label}
        {props.unit ? ` [${props.unit}]` : ""}
      </label>
      <div class="input-group">
        <input
          id={props.id}
          class="form-control"
          type="number"
          min="0"
          step="any"
          placeholder="from"
          value={r.from || ""}
          onInput={(e) => props.set({ from: num(e), to: r.to })}
        />
        <span class="input-group-text">-</span>
        <input
          class="form-control"
          type="number"
          min="0"
          step="any"
          placeholder="to"
          aria-label={`${props.label} to`}
          value={r.to || ""}
          onInput={(e) => props.set({ from: r.from, to: num(e) })}
        />
      </div>
    </div>
  );
}

const orNone = (r?: Range) => (r && (r.from || r.to) ? r : undefined);

function ResourcesDialog({ filter, clusters, onApply, onClose }: Inner) {
  const [draft, setDraft] = useState<JobFilterState>(filter);
  const set = (patch: Partial<JobFilterState>) => setDraft({ ...draft, ...patch });
  const subs = clusters.filter((c) => !filter.cluster || c.name === filter.cluster)
    .flatMap((c) => c.subClusters);
  const maxAcc = Math.max(0, ...subs.map((s) => s.scopeCounts.accelerator ?? 0));
  return (
    <Modal
      title="Select Resources"
      onClose={onClose}
      onApply={() =>
        onApply({
          node: draft.node?.trim() || undefined,
          nodeMatch: draft.node?.trim() ? draft.nodeMatch ?? "eq" : undefined,
          numNodes: orNone(draft.numNodes),
          numHWThreads: orNone(draft.numHWThreads),
          numAccelerators: orNone(draft.numAccelerators),
        })}
      onReset={() =>
        onApply({
          node: undefined,
          nodeMatch: undefined,
          numNodes: undefined,
          numHWThreads: undefined,
          numAccelerators: undefined,
        })}
    >
      <label class="form-label" for="res-node">Named Node</label>
      <div class="input-group mb-3">
        <input
          id="res-node"
          class="form-control"
          value={draft.node ?? ""}
          onInput={(e) => set({ node: value(e) })}
        />
        <select
          class="form-select"
          aria-label="Node match"
          value={draft.nodeMatch ?? "eq"}
          onChange={(e) => set({ nodeMatch: value(e) as "eq" | "contains" })}
        >
          <option value="eq">Equal To</option>
          <option value="contains">Contains</option>
        </select>
      </div>
      <RangeRow
        id="res-nodes"
        label="Number of Nodes"
        range={draft.numNodes}
        set={(r) => set({ numNodes: r })}
      />
      <RangeRow
        id="res-threads"
        label="Number of HWThreads"
        range={draft.numHWThreads}
        set={(r) => set({ numHWThreads: r })}
      />
      {maxAcc > 1 && (
        <RangeRow
          id="res-accs"
          label="Number of Accelerators"
          range={draft.numAccelerators}
          set={(r) => set({ numAccelerators: r })}
        />
      )}
    </Modal>
  );
}

function EnergyDialog({ filter, onApply, onClose }: Inner) {
  const [range, setRange] = useState(filter.energy);
  return (
    <Modal
      title="Filter by Energy"
      onClose={onClose}
      onApply={() => onApply({ energy: orNone(range) })}
      onReset={() => onApply({ energy: undefined })}
    >
      <RangeRow id="energy" label="Total Job Energy" unit="kWh" range={range} set={setRange} />
    </Modal>
  );
}

function StatsDialog({ filter, globalMetrics, onApply, onClose }: Inner) {
  const metrics = metricsOn(globalMetrics, filter.cluster).filter((m) => m.footprint);
  const [stats, setStats] = useState(filter.stats ?? []);
  const find = (field: string) => stats.find((s) => s.field === field);
  return (
    <Modal
      title="Filter by Footprint Statistics"
      onClose={onClose}
      onApply={() => {
        const set = stats.filter((s) => s.from || s.to);
        onApply({ stats: set.length ? set : undefined });
      }}
      onReset={() => onApply({ stats: undefined })}
    >
      {metrics.length === 0 && <p>No footprint metrics available.</p>}
      {metrics.map((m) => {
        const field = `${m.name}_${m.footprint}`;
        return (
          <RangeRow
            key={field}
            id={`stat-${field}`}
            label={`${m.name} (${m.footprint})`}
            unit={unitText(m.unit)}
            range={find(field)}
            set={(r) => setStats([...stats.filter((s) => s.field !== field), { field, ...r }])}
          />
        );
      })}
    </Modal>
  );
}

const DIALOGS: Partial<Record<FilterKind, (props: Inner) => JSX.Element>> = {
  cluster: ClusterDialog,
  state: StateDialog,
  startTime: StartTimeDialog,
  duration: DurationDialog,
  tags: TagsDialog,
  resources: ResourcesDialog,
  energy: EnergyDialog,
  stats: StatsDialog,
};

/** Menu entries of the filter dropdown. */
export const FILTER_MENU: [FilterKind, string, string][] = [
  ["cluster", "Cluster/Partition", "cpu"],
  ["state", "Job States", "gear-fill"],
  ["startTime", "Start Time", "calendar-range"],
  ["duration", "Duration", "stopwatch"],
  ["tags", "Tags", "tags"],
  ["resources", "Resources", "hdd-stack"],
  ["energy", "Energy", "lightning-charge-fill"],
  ["stats", "Statistics", "bar-chart"],
];

/** The dialog of `kind` (nothing for kinds without one). */
export function FilterDialog({ kind, ...props }: FilterDialogProps) {
  const Dialog = DIALOGS[kind];
  return Dialog ? <Dialog {...props} /> : null;
}
