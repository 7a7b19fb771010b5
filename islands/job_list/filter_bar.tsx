/**
 * The toolbar of the job lists: sort and metric buttons, the filter menu
 * with its quick selections, the match count, the text search, the
 * refresher and the pills of the active filters.
 *
 * @module
 */
import type { ComponentChildren } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { type FilterKind, filterPills, removePill, START_RANGES } from "../lib/filter_pills.ts";
import { formatDuration } from "../lib/plot_units.ts";
import { Refresher } from "../lib/refresher.tsx";
import type { JobFilterState } from "../lib/job_filters.ts";
import type { TagInfo } from "../lib/job_list_types.ts";
import { FILTER_MENU } from "./filter_dialogs.tsx";

/** Props of {@link FilterBar}. */
export interface FilterBarProps {
  filter: JobFilterState;
  tags: TagInfo[];
  count: number | null;
  loading: boolean;
  /** Offer the "user" text search (managers and staff, not on the user view). */
  userSearch: boolean;
  /** Short-job cutoff in seconds (0: no quick selection). */
  shortJobs: number;
  onFilter: (filter: JobFilterState) => void;
  onDialog: (kind: FilterKind | "sort" | "metrics") => void;
  onRefresh: () => void;
  /** Extra controls (the user view's bin size). */
  children?: ComponentChildren;
}

type TextMode = "project" | "user" | "jobName";

function TextFilter(
  props: { filter: JobFilterState; userSearch: boolean; onFilter: FilterBarProps["onFilter"] },
) {
  const f = props.filter;
  const [mode, setMode] = useState<TextMode>(
    f.project && f.projectMatch === "eq" ? "jobName" : "project",
  );
  const current = mode === "user" ? (f.userMatch === "contains" ? f.user?.[0] : "") : f[mode];
  const [term, setTerm] = useState(current ?? "");
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => setTerm(current ?? ""), [current, mode]);
  const apply = (text: string) => {
    clearTimeout(timer.current);
    const t = text.trim();
    const next = { ...props.filter };
    if (mode === "project") {
      Object.assign(next, { project: t || undefined, projectMatch: t ? "contains" : undefined });
    } else if (mode === "user") {
      Object.assign(next, { user: t ? [t] : undefined, userMatch: t ? "contains" : undefined });
    } else next.jobName = t || undefined;
    props.onFilter(next);
  };
  return (
    <div class="input-group cc-text-filter">
      <select
        class="form-select"
        aria-label="Search mode"
        value={mode}
        onChange={(e) => setMode((e.target as HTMLSelectElement).value as TextMode)}
      >
        <option value="project">Project</option>
        {props.userSearch && <option value="user">User</option>}
        <option value="jobName">Job Name</option>
      </select>
      <input
        class="form-control"
        type="search"
        aria-label="Search text"
        placeholder={mode === "jobName" && f.project ? `Find in ${f.project} ...` : "Filter ..."}
        value={term}
        onInput={(e) => {
          const text = (e.target as HTMLInputElement).value;
          setTerm(text);
          clearTimeout(timer.current);
          timer.current = setTimeout(() => apply(text), 300);
        }}
        onKeyDown={(e) => e.key === "Enter" && apply(term)}
      />
    </div>
  );
}

/** The toolbar. */
export function FilterBar(props: FilterBarProps) {
  const [menu, setMenu] = useState(false);
  const dropdown = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!menu) return;
    const close = (e: Event) => {
      if (
        e instanceof KeyboardEvent
          ? e.key === "Escape"
          : !dropdown.current?.contains(e.target as Node)
      ) {
        setMenu(false);
      }
    };
    document.addEventListener("click", close);
    document.addEventListener("keydown", close);
    return () => {
      document.removeEventListener("click", close);
      document.removeEventListener("keydown", close);
    };
  }, [menu]);
  const f = props.filter;
  const pills = filterPills(f, props.tags);
  const choose = (action: () => void) => () => {
    setMenu(false);
    action();
  };
  const item = (key: string, label: string, icon: string, action: () => void) => (
    <li key={key}>
      <button type="button" class="dropdown-item" onClick={choose(action)}>
        <i class={`bi bi-${icon} me-2`}></i>
        {label}
      </button>
    </li>
  );
  return (
    <>
      <div class="d-flex flex-wrap gap-2 align-items-center mb-2">
        <div class="btn-group">
          <button
            type="button"
            class="btn btn-outline-primary"
            onClick={() => props.onDialog("sort")}
          >
            <i class="bi bi-sort-up"></i> Sorting
          </button>
          <button
            type="button"
            class="btn btn-outline-primary"
            onClick={() => props.onDialog("metrics")}
          >
            <i class="bi bi-graph-up"></i> Metrics
          </button>
        </div>
        <div class="dropdown" ref={dropdown}>
          <button
            type="button"
            class="btn btn-outline-success dropdown-toggle"
            aria-expanded={menu}
            onClick={() => setMenu(!menu)}
          >
            <i class="bi bi-funnel"></i> Filters
          </button>
          <ul class={`dropdown-menu${menu ? " show" : ""}`}>
            <li>
              <h6 class="dropdown-header">Manage Filters</h6>
            </li>
            {FILTER_MENU.map(([kind, label, icon]) =>
              item(kind, label, icon, () => props.onDialog(kind))
            )}
            <li>
              <h6 class="dropdown-header">Start Time Quick Selection</h6>
            </li>
            {Object.entries(START_RANGES).map(([range, label]) =>
              item(range, label, "calendar-range", () =>
                props.onFilter({ ...f, startTime: { range } }))
            )}
            {props.shortJobs > 0 && (
              <>
                <li>
                  <h6
                    class="dropdown-header"
                    title={`Job duration less than ${formatDuration(props.shortJobs)}`}
                  >
                    Short Jobs Selection
                  </h6>
                </li>
                {item(
                  "short",
                  "Only Short Jobs",
                  "stopwatch",
                  () => props.onFilter({ ...f, duration: { lessThan: props.shortJobs } }),
                )}
                {item(
                  "long",
                  "Exclude Short Jobs",
                  "stopwatch",
                  () =>
                    props.onFilter({ ...f, duration: { moreThan: props.shortJobs } }),
                )}
              </>
            )}
          </ul>
        </div>
        <span class="btn btn-outline-secondary disabled" aria-live="polite">
          {props.loading ? "Loading ..." : `${props.count ?? 0} jobs`}
        </span>
        <TextFilter filter={f} userSearch={props.userSearch} onFilter={props.onFilter} />
        {props.children}
        <Refresher onRefresh={props.onRefresh} />
      </div>
      {pills.length > 0 && (
        <div class="d-flex flex-wrap gap-1 mb-2 cc-filter-pills">
          {pills.map((pill) => (
            <span
              class="badge text-bg-light border d-inline-flex align-items-center"
              key={pill.label}
            >
              <button
                type="button"
                class="btn btn-link btn-sm p-0 text-reset text-decoration-none"
                onClick={() => pill.kind !== "text" && props.onDialog(pill.kind)}
              >
                {pill.label}
              </button>
              <button
                type="button"
                class="btn-close ms-1"
                aria-label={`Remove filter ${pill.label}`}
                onClick={() =>
                  props.onFilter(removePill(f, pill))}
              />
            </span>
          ))}
        </div>
      )}
    </>
  );
}
