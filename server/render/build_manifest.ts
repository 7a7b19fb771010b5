/**
 * The shape of the island build (`scripts/build_islands.ts`): hashed file
 * names of the browser bundles and their static imports. The committed
 * build (`static/build/manifest.generated.ts`) and the in-memory build of
 * `-dev` both produce it.
 *
 * @module
 */

/** Which hashed file serves what. File names are relative to `/static/`. */
export interface BuildManifest {
  /** The boot module (hydrates islands, wires navbar toggles). */
  boot: string;
  /** The blocking head script that applies the colour theme before the first paint. */
  theme: string;
  /** Island name → its module. */
  islands: Record<string, string>;
  /** Module → the modules it imports statically (direct imports only). */
  imports: Record<string, string[]>;
  /** The Bootstrap Icons web font. */
  iconFont: string;
}

/** A complete build: the manifest and the bytes of every file. */
export interface IslandBuild {
  manifest: BuildManifest;
  /** Hashed file name → JavaScript text. */
  scripts: Record<string, string>;
  /** The icon font (woff2). */
  iconFont: Uint8Array;
}
