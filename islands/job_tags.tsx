/**
 * The tags of a job with the tag manager of the job view: attached tags as
 * pills and a "Manage N Tags" dialog to search, attach, detach and create
 * tags, within the scope rules of `lib/job_tag_rules.ts` (the server checks
 * them again). Uses cc-backend's `createTag`, `addTagsToJob` and
 * `removeTagsFromJob` mutations.
 *
 * @module
 */
import { useState } from "preact/hooks";
import { gql } from "./lib/graphql.ts";
import { Modal } from "./lib/job_modal.tsx";
import { TagPill } from "./lib/job_tag_pill.tsx";
import {
  canEditTag,
  matchesTerm,
  offersTag,
  parseTagTerm,
  scopeLabel,
  sortTags,
  type TagItem,
  type TagViewer,
} from "./lib/job_tag_rules.ts";

/** Props of {@link JobTags}. */
export interface JobTagsProps {
  /** Database id of the job. */
  jobId: number;
  /** Attached tags the viewer may read. */
  tags: TagItem[];
  /** Every tag the viewer may read. */
  allTags: TagItem[];
  viewer: TagViewer;
}

const TAG_FIELDS = "{ id type name scope }";
/** The GraphQL operation, as cc-backend's UI sends it. */
export const CREATE_TAG = `mutation ($type: String!, $name: String!, $scope: String!) {
  createTag(type: $type, name: $name, scope: $scope) ${TAG_FIELDS}
}`;
/** The GraphQL operation, as cc-backend's UI sends it. */
export const ADD_TAGS = `mutation ($job: ID!, $tagIds: [ID!]!) {
  addTagsToJob(job: $job, tagIds: $tagIds) ${TAG_FIELDS}
}`;
/** The GraphQL operation, as cc-backend's UI sends it. */
export const REMOVE_TAGS = `mutation ($job: ID!, $tagIds: [ID!]!) {
  removeTagsFromJob(job: $job, tagIds: $tagIds) ${TAG_FIELDS}
}`;

const sameId = (a: TagItem, b: TagItem) => String(a.id) === String(b.id);

function TagRow(
  props: { tag: TagItem; action?: { label: string; icon: string; run: () => void } },
) {
  const { tag, action } = props;
  return (
    <li class="list-group-item d-flex align-items-center gap-2">
      <span class="flex-grow-1 text-break">
        <TagPill tag={tag} />
        <span class="badge text-bg-light border">{scopeLabel(tag.scope)}</span>
      </span>
      {action && (
        <button
          type="button"
          class="btn btn-sm btn-outline-secondary"
          aria-label={`${action.label} ${tag.type}: ${tag.name}`}
          title={action.label}
          onClick={action.run}
        >
          <i class={`bi bi-${action.icon}`} aria-hidden="true"></i>
        </button>
      )}
    </li>
  );
}

/** Pills and the tag manager. */
export default function JobTags(props: JobTagsProps) {
  const { viewer } = props;
  const [tags, setTags] = useState(props.tags);
  const [allTags, setAllTags] = useState(props.allTags);
  const [open, setOpen] = useState(false);
  const [term, setTerm] = useState("");
  const [scope, setScope] = useState(viewer.username);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState("");
  const staff = viewer.isAdmin || viewer.isSupport;

  async function run(action: () => Promise<TagItem[]>) {
    setBusy(true);
    setError("");
    try {
      setTags(await action());
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  }

  const add = (tag: TagItem) =>
    run(async () =>
      (await gql<{ addTagsToJob: TagItem[] }>(ADD_TAGS, { job: props.jobId, tagIds: [tag.id] }))
        .addTagsToJob
    );
  const remove = (tag: TagItem) =>
    run(async () =>
      (await gql<{ removeTagsFromJob: TagItem[] }>(REMOVE_TAGS, {
        job: props.jobId,
        tagIds: [tag.id],
      })).removeTagsFromJob
    );
  const create = (spec: { type: string; name: string }) =>
    run(async () => {
      const created = (await gql<{ createTag: TagItem }>(CREATE_TAG, {
        ...spec,
        scope: staff ? scope : viewer.username,
      })).createTag;
      setAllTags((list) => list.some((t) => sameId(t, created)) ? list : [...list, created]);
      setTerm("");
      return (await gql<{ addTagsToJob: TagItem[] }>(ADD_TAGS, {
        job: props.jobId,
        tagIds: [created.id],
      })).addTagsToJob;
    });

  const attached = sortTags(tags.filter((t) => matchesTerm(t, term)));
  const available = sortTags(
    allTags.filter((t) =>
      !tags.some((a) => sameId(a, t)) && offersTag(viewer, t) && matchesTerm(t, term)
    ),
  );
  const wanted = parseTagTerm(term);
  const exists = wanted && allTags.some((t) => t.type === wanted.type && t.name === wanted.name);
  const close = () => setOpen(false);

  return (
    <div class="cc-job-tags">
      <div class="mb-1 cc-job-tag-list">
        {sortTags(tags).map((t) => <TagPill key={t.id} tag={t} />)}
      </div>
      <button type="button" class="btn btn-sm btn-outline-secondary" onClick={() => setOpen(true)}>
        <i class="bi bi-tags me-1" aria-hidden="true"></i>Manage {tags.length} Tags
      </button>
      {open && (
        <Modal
          title="Manage Tags"
          onClose={close}
          footer={<button type="button" class="btn btn-primary" onClick={close}>Close</button>}
        >
          <input
            type="search"
            class="form-control mb-1"
            placeholder="Search Tags"
            aria-label="Search Tags"
            value={term}
            onInput={(e) => setTerm((e.target as HTMLInputElement).value)}
          />
          <p class="form-text mt-0">
            Search using "type: name". If no tag matches your search, a button for creating a new
            one will appear.
          </p>
          {error && <div class="alert alert-danger py-1">{error}</div>}
          {wanted && !exists && (
            <div class="d-flex flex-wrap gap-2 mb-3">
              <button
                type="button"
                class="btn btn-success btn-sm"
                disabled={busy}
                onClick={() => create(wanted)}
              >
                <i class="bi bi-plus-lg me-1" aria-hidden="true"></i>
                Add new tag: {wanted.type}: {wanted.name}
              </button>
              {staff && (
                <select
                  class="form-select form-select-sm w-auto"
                  aria-label="Scope of the new tag"
                  value={scope}
                  onChange={(e) => setScope((e.target as HTMLSelectElement).value)}
                >
                  <option value={viewer.username}>Scope: Private</option>
                  <option value="global">Scope: Global</option>
                  {viewer.isAdmin && <option value="admin">Scope: Admin</option>}
                </select>
              )}
            </div>
          )}
          <h6>Attached Tags</h6>
          <ul class="list-group mb-3">
            {attached.length === 0 && <li class="list-group-item text-body-secondary">None</li>}
            {attached.map((t) => (
              <TagRow
                key={t.id}
                tag={t}
                action={canEditTag(viewer, t) && !busy
                  ? { label: "Remove tag", icon: "x-lg", run: () => remove(t) }
                  : undefined}
              />
            ))}
          </ul>
          <h6>Available Tags</h6>
          <ul class="list-group">
            {available.length === 0 && <li class="list-group-item text-body-secondary">None</li>}
            {available.map((t) => (
              <TagRow
                key={t.id}
                tag={t}
                action={busy ? undefined : { label: "Add tag", icon: "plus-lg", run: () => add(t) }}
              />
            ))}
          </ul>
        </Modal>
      )}
    </div>
  );
}
