/**
 * The colour theme: `light`, `dark` or `auto` (follow the browser's
 * `prefers-color-scheme`), stored in `localStorage` and applied as
 * Bootstrap's `data-bs-theme` on `<html>`. Browser-only; shared by the
 * blocking head script (`runtime/theme_init.ts`) and the toggle island.
 *
 * @module
 */

/** What the user chose. */
export type ThemeMode = "light" | "dark" | "auto";

/** The `localStorage` key of the choice. */
export const THEME_STORAGE_KEY = "cc-theme";

const MODES: readonly ThemeMode[] = ["light", "dark", "auto"];

/** The stored choice; `auto` when none is stored or storage is unavailable. */
export function storedThemeMode(): ThemeMode {
  try {
    const value = globalThis.localStorage?.getItem(THEME_STORAGE_KEY);
    return MODES.includes(value as ThemeMode) ? value as ThemeMode : "auto";
  } catch {
    // Storage access throws in some privacy modes: fall back to following the browser.
    return "auto";
  }
}

/** Remembers `mode` (removing the entry for `auto`). */
export function storeThemeMode(mode: ThemeMode): void {
  try {
    if (mode === "auto") localStorage.removeItem(THEME_STORAGE_KEY);
    else localStorage.setItem(THEME_STORAGE_KEY, mode);
  } catch {
    // Not persisted (privacy mode); the choice still applies to this page.
  }
}

/** The theme `mode` resolves to now. */
export function resolveTheme(mode: ThemeMode): "light" | "dark" {
  if (mode !== "auto") return mode;
  return globalThis.matchMedia?.("(prefers-color-scheme: dark)").matches ? "dark" : "light";
}

/** Sets `data-bs-theme` on the document element for `mode`. */
export function applyThemeMode(mode: ThemeMode): void {
  document.documentElement.setAttribute("data-bs-theme", resolveTheme(mode));
}
