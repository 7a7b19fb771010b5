/**
 * The theme switch of the navbar: a dropdown offering light, dark and auto
 * (follow the browser). Rendered on the server as "auto"; after hydration
 * it shows the stored choice.
 *
 * @module
 */
import { useEffect, useRef, useState } from "preact/hooks";
import type { ThemeMode } from "./lib/theme.ts";
import { storedThemeMode } from "./lib/theme.ts";
import { setThemeMode, themeMode } from "./lib/theme_state.ts";

/** Props of {@link ThemeToggle}. */
export interface ThemeToggleProps {
  /** Tooltip and accessible name of the button. */
  label?: string;
}

const CHOICES: { mode: ThemeMode; title: string; icon: string }[] = [
  { mode: "light", title: "Light", icon: "bi-sun-fill" },
  { mode: "dark", title: "Dark", icon: "bi-moon-stars-fill" },
  { mode: "auto", title: "Auto", icon: "bi-circle-half" },
];

/** The theme dropdown. */
export default function ThemeToggle(props: ThemeToggleProps) {
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const label = props.label ?? "Colour theme";
  const current = CHOICES.find((c) => c.mode === themeMode.value) ?? CHOICES[2];

  useEffect(() => {
    themeMode.value = storedThemeMode();
  }, []);

  useEffect(() => {
    if (!open) return;
    const close = (event: Event) => {
      if (event instanceof KeyboardEvent && event.key !== "Escape") return;
      if (event.type === "click" && root.current?.contains(event.target as Node)) return;
      setOpen(false);
    };
    document.addEventListener("click", close);
    document.addEventListener("keydown", close);
    return () => {
      document.removeEventListener("click", close);
      document.removeEventListener("keydown", close);
    };
  }, [open]);

  return (
    <div class="dropdown" ref={root}>
      <button
        type="button"
        class="btn btn-outline-secondary dropdown-toggle"
        aria-expanded={open}
        aria-label={label}
        title={label}
        onClick={() => setOpen(!open)}
      >
        <i class={`bi ${current.icon}`} aria-hidden="true"></i>
      </button>
      <ul class={`dropdown-menu dropdown-menu-end${open ? " show" : ""}`}>
        {CHOICES.map((choice) => (
          <li key={choice.mode}>
            <button
              type="button"
              class={`dropdown-item${choice.mode === current.mode ? " active" : ""}`}
              aria-pressed={choice.mode === current.mode}
              onClick={() => {
                setThemeMode(choice.mode);
                setOpen(false);
              }}
            >
              <i class={`bi ${choice.icon} me-2`} aria-hidden="true"></i>
              {choice.title}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
