/**
 * The boot script of every page: wires the plain-HTML navbar toggles and
 * hydrates each island with the props the server rendered it with. Each
 * island module is fetched once, in parallel (the page preloads them).
 *
 * @module
 */
import { h, hydrate } from "preact";
import type { ComponentType } from "preact";
import { installToggles } from "../lib/toggles.ts";
import { ISLAND_PAYLOAD_ID, ISLAND_TAG, type IslandPayload } from "./island_payload.ts";

installToggles(document);

const payloadElement = document.getElementById(ISLAND_PAYLOAD_ID);
const payload: IslandPayload = payloadElement?.textContent
  ? JSON.parse(payloadElement.textContent)
  : { islands: [] };

const modules = new Map<string, Promise<{ default: ComponentType<Record<string, unknown>> }>>();
for (const island of payload.islands) {
  const marker = document.querySelector(`${ISLAND_TAG}[data-island-id="${island.id}"]`);
  if (!marker) {
    console.error(`island ${island.name} #${island.id}: marker element missing`);
    continue;
  }
  if (!modules.has(island.url)) modules.set(island.url, import(island.url));
  modules.get(island.url)!.then(
    (module) => hydrate(h(module.default, island.props), marker),
    (error) => console.error(`island ${island.name}: cannot load ${island.url}`, error),
  );
}
