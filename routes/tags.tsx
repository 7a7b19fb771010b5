/**
 * The tag list `/monitoring/tags/` (cc-backend's `CountTags` and Tags view):
 * tags grouped by type, each with the number of jobs the viewer may see
 * that carry it. Readable scopes: `global`, the viewer's own private tags,
 * `admin` for admin and support. Support and admin see every readable tag
 * (even unused ones); users and managers see global and admin tags only
 * when at least one visible job carries them, their private tags always;
 * api-only users see none.
 *
 * @module
 */
import { type AuthUser, hasAnyRole, isApiOnly } from "../server/auth/auth_user.ts";
import { jobVisibilityCondition } from "../server/auth/job_visibility.ts";
import { canReadTagScope } from "../server/auth/tag_scope.ts";
import type { DatabaseSync } from "node:sqlite";
import { TagRepository } from "../server/db/mod.ts";
import { countTaggedJobs } from "../server/db/tag_counts.ts";
import { definePage } from "../server/render/define_page.ts";

/** A tag with its visible job count. */
export interface CountedTag {
  id: number;
  name: string;
  scope: string;
  count: number;
}

/** The tags of one type. */
export interface TagGroup {
  type: string;
  tags: CountedTag[];
}

/** Props of {@link TagsPage}. */
export interface TagsProps {
  groups: TagGroup[];
}

/** The tags `user` may see, grouped by type (sorted), each group sorted by name. */
export function countTags(db: DatabaseSync, user: AuthUser): TagGroup[] {
  if (isApiOnly(user)) return [];
  const staff = hasAnyRole(user, ["admin", "support"]);
  const counts = countTaggedJobs(db, jobVisibilityCondition(user));
  const groups = new Map<string, CountedTag[]>();
  for (const tag of new TagRepository(db).listTags()) {
    if (!canReadTagScope(user, tag.scope)) continue;
    const count = counts.get(tag.id) ?? 0;
    const isPrivate = tag.scope !== "global" && tag.scope !== "admin";
    if (!staff && !isPrivate && count === 0) continue;
    const list = groups.get(tag.type) ?? [];
    list.push({ id: tag.id, name: tag.name, scope: tag.scope, count });
    groups.set(tag.type, list);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([type, tags]) => ({ type, tags: tags.sort((a, b) => a.name.localeCompare(b.name)) }));
}

function ScopePill({ scope }: { scope: string }) {
  if (scope === "global") {
    return <span class="badge rounded-pill" style="background-color: #c85fc8">Global</span>;
  }
  if (scope === "admin") {
    return <span class="badge rounded-pill" style="background-color: #19e5e6">Admin</span>;
  }
  return <span class="badge rounded-pill text-bg-warning">Private</span>;
}

/** The page content. */
export function TagsPage(props: TagsProps) {
  if (props.groups.length === 0) {
    return <div class="alert alert-info mt-3" role="alert">No tags found.</div>;
  }
  return (
    <>
      {props.groups.map((group) => (
        <section key={group.type} class="mb-3 cc-tag-group">
          <div class="bg-light p-2 d-flex align-items-center gap-2">
            <h2 class="h5 mb-0">Tag Type: {group.type}</h2>
            <span class="badge text-bg-secondary">{group.tags.length} Tags</span>
          </div>
          <div class="d-flex flex-wrap gap-2 p-2">
            {group.tags.map((tag) => (
              <a
                key={tag.id}
                class="btn btn-outline-secondary btn-sm cc-tag"
                href={`/monitoring/jobs/?tag=${tag.id}`}
              >
                <span class="badge text-bg-primary">{tag.name}</span>{" "}
                <span class="badge rounded-pill text-bg-secondary">{tag.count} Jobs</span>{" "}
                <ScopePill scope={tag.scope} />
              </a>
            ))}
          </div>
        </section>
      ))}
    </>
  );
}

/** `GET /monitoring/tags/`. */
export const tagsPage = definePage({
  path: "/monitoring/tags/",
  title: "Tags - ClusterCockpit",
  load: ({ user, deps }) => ({ groups: countTags(deps.db, user) }),
  Page: TagsPage,
});
