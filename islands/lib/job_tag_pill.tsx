/**
 * A tag as a coloured pill linking to the job list filtered by it
 * (background by scope: admin, global, private).
 *
 * @module
 */
import { tagClass, type TagItem } from "./job_tag_rules.ts";

/** Props of {@link TagPill}. */
export interface TagPillProps {
  tag: TagItem;
}

/** `<type>: <name>` pill. */
export function TagPill({ tag }: TagPillProps) {
  return (
    <a
      class={`badge rounded-pill cc-tag ${tagClass(tag.scope)} me-1 mb-1`}
      href={`/monitoring/jobs/?tag=${encodeURIComponent(String(tag.id))}`}
    >
      {tag.type}: {tag.name}
    </a>
  );
}
