/**
 * What the server hands the boot script: one entry per island on the page,
 * in a `<script type="application/json" id="cc-islands">` element. Each
 * island's server-rendered HTML sits in `<cc-island data-island-id="…">`.
 *
 * @module
 */

/** The id of the JSON element holding the {@link IslandPayload}. */
export const ISLAND_PAYLOAD_ID = "cc-islands";

/** The marker element wrapping an island's server-rendered HTML. */
export const ISLAND_TAG = "cc-island";

/** One island instance on the page. */
export interface IslandInstance {
  /** Matches the marker's `data-island-id`. */
  id: number;
  /** The island's name: its file name in `islands/` without `.tsx`. */
  name: string;
  /** URL of the island's bundled module (default export: the component). */
  url: string;
  /** The props it was rendered with on the server. */
  props: Record<string, unknown>;
}

/** The JSON document of the payload element. */
export interface IslandPayload {
  islands: IslandInstance[];
}
