/**
 * The theme choice as a signal, shared by every island that shows or
 * changes it.
 *
 * @module
 */
import { signal } from "@preact/signals";
import { applyThemeMode, storeThemeMode, type ThemeMode } from "./theme.ts";

/** The current choice; `auto` until an island reads the stored one after hydration. */
export const themeMode = signal<ThemeMode>("auto");

/** Changes the theme: stores, applies and publishes `mode`. */
export function setThemeMode(mode: ThemeMode): void {
  storeThemeMode(mode);
  applyThemeMode(mode);
  themeMode.value = mode;
}
