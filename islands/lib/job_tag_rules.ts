/**
 * Who may attach and detach which tags in the tag manager of the job view
 * (cc-backend's `TagManagement`): administrators any tag, support staff
 * any but admin tags, everyone their private tags. The server checks the
 * same rules again.
 *
 * @module
 */

/** A tag as the API sends it. */
export interface TagItem {
  id: string | number;
  type: string;
  name: string;
  scope: string;
}

/** Who uses the tag manager. */
export interface TagViewer {
  username: string;
  isAdmin: boolean;
  isSupport: boolean;
}

/** Whether `viewer` may attach or detach `tag`. */
export function canEditTag(viewer: TagViewer, tag: Pick<TagItem, "scope">): boolean {
  if (viewer.isAdmin) return true;
  if (viewer.isSupport && tag.scope === "global") return true;
  return tag.scope === viewer.username;
}

/** Whether `tag` is offered to `viewer` for attaching. */
export function offersTag(viewer: TagViewer, tag: Pick<TagItem, "scope">): boolean {
  if (viewer.isAdmin) return true;
  if (viewer.isSupport) return tag.scope !== "admin";
  return tag.scope === viewer.username;
}

/** Label of a tag's scope. */
export function scopeLabel(scope: string): string {
  if (scope === "global") return "Global Tag";
  if (scope === "admin") return "Admin Tag";
  return "Private Tag";
}

/** CSS class of a tag pill by scope. */
export function tagClass(scope: string): string {
  if (scope === "global") return "cc-tag-global";
  if (scope === "admin") return "cc-tag-admin";
  return "cc-tag-private";
}

/**
 * A search term of the form `type: name` (both non-empty after trimming),
 * or null. Without a colon the term only filters.
 */
export function parseTagTerm(term: string): { type: string; name: string } | null {
  const cut = term.indexOf(":");
  if (cut < 0) return null;
  const type = term.slice(0, cut).trim();
  const name = term.slice(cut + 1).trim();
  return type && name ? { type, name } : null;
}

/** Whether `tag` matches the search `term` (`type`, `name`, or `type: name` prefixes). */
export function matchesTerm(tag: Pick<TagItem, "type" | "name">, term: string): boolean {
  const t = term.trim().toLowerCase();
  if (t === "") return true;
  const parsed = parseTagTerm(t);
  if (parsed) {
    return tag.type.toLowerCase().startsWith(parsed.type) &&
      tag.name.toLowerCase().startsWith(parsed.name);
  }
  const head = t.endsWith(":") ? t.slice(0, -1).trim() : t;
  return tag.type.toLowerCase().includes(head) || tag.name.toLowerCase().includes(head);
}

/** Tags sorted by type, then name. */
export function sortTags<T extends Pick<TagItem, "type" | "name">>(tags: readonly T[]): T[] {
  return [...tags].sort((a, b) => a.type.localeCompare(b.type) || a.name.localeCompare(b.name));
}
