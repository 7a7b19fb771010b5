/**
 * Tabs without JavaScript: one radio button per tab (visually hidden,
 * keyboard-operable), labels styled as Bootstrap nav tabs, and panels shown
 * by the `:checked` sibling rules in `static/app.css` (up to six tabs).
 *
 * @module
 */
import type { ComponentChildren } from "preact";

/** One tab. */
export interface Tab {
  title: ComponentChildren;
  content: ComponentChildren;
}

/** Props of {@link CssTabs}. */
export interface CssTabsProps {
  /** Unique on the page: the radio group name and id prefix. */
  name: string;
  tabs: Tab[];
  /** Index of the tab shown first (default 0). */
  active?: number;
  /** Extra classes of the panels. */
  panelClass?: string;
}

/** The tab set. */
export function CssTabs(props: CssTabsProps) {
  const active = props.active ?? 0;
  return (
    <div class="cc-tabs">
      {props.tabs.map((_, i) => (
        <input
          key={`r${i}`}
          type="radio"
          class="cc-tab-radio visually-hidden"
          name={props.name}
          id={`${props.name}-${i}`}
          checked={i === active}
        />
      ))}
      <nav class="nav nav-tabs">
        {props.tabs.map((tab, i) => (
          <label key={`l${i}`} class="nav-link" for={`${props.name}-${i}`}>{tab.title}</label>
        ))}
      </nav>
      {props.tabs.map((tab, i) => (
        <section key={`p${i}`} class={`cc-tab-panel ${props.panelClass ?? ""}`}>
          {tab.content}
        </section>
      ))}
    </div>
  );
}
