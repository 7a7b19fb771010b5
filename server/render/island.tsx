/**
 * Islands on the server: `<Island name="theme_toggle" props={{...}} />`
 * renders the island's component to HTML inside a `<cc-island>` marker and
 * records its props; `renderPage()` writes the recorded props into the
 * page as JSON for the boot script, which hydrates each marker.
 *
 * Props must be plain JSON (no functions, dates or class instances): the
 * browser gets `JSON.parse(JSON.stringify(props))`. Islands must not write
 * shared signals while rendering on the server (they are module-wide).
 *
 * @module
 */
import { createContext, h } from "preact";
import type { ComponentProps, ComponentType } from "preact";
import { useContext } from "preact/hooks";
import { ISLANDS } from "../../islands/registry.generated.ts";
import { ISLAND_TAG, type IslandInstance } from "../../islands/runtime/island_payload.ts";

/** The names of the islands (files in `islands/`). */
export type IslandName = keyof typeof ISLANDS;

/** The props of island `N`. */
export type IslandProps<N extends IslandName> = ComponentProps<(typeof ISLANDS)[N]>;

/** Collects the islands of one page render. */
export class IslandCollector {
  readonly #islands: Omit<IslandInstance, "url">[] = [];

  /** Records an island and returns its id on the page. */
  add(name: string, props: Record<string, unknown>): number {
    const id = this.#islands.length;
    this.#islands.push({ id, name, props });
    return id;
  }

  /** The islands recorded so far, in document order. */
  get islands(): readonly Omit<IslandInstance, "url">[] {
    return this.#islands;
  }
}

/** Carries the collector of the current render to every `<Island>`. */
export const IslandContext = createContext<IslandCollector | null>(null);

/** Props of {@link Island}. */
export interface IslandElementProps<N extends IslandName> {
  name: N;
  props: IslandProps<N>;
}

/** Renders island `name` with `props` and registers it for hydration. */
export function Island<N extends IslandName>({ name, props }: IslandElementProps<N>) {
  const collector = useContext(IslandContext);
  if (!collector) throw new Error(`<Island name="${name}"> rendered outside renderPage()`);
  if (!Object.hasOwn(ISLANDS, name)) throw new Error(`unknown island "${name}"`);
  const plain = props as Record<string, unknown>;
  const id = collector.add(name, plain);
  const component = ISLANDS[name] as unknown as ComponentType<Record<string, unknown>>;
  return h(ISLAND_TAG, { "data-island-id": id }, h(component, plain));
}
