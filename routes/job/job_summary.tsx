/**
 * The summary parts of the job view rendered on the server: footprint bars
 * (SVG, so the strict style policy needs no inline styles) and the energy
 * summary with the estimated carbon emission.
 *
 * @module
 */
import { barPercent, type FootprintBar } from "../../islands/lib/job_footprint.ts";
import { roundTwoDigits } from "../../islands/lib/plot_units.ts";

/** Props of {@link FootprintBars}. */
export interface FootprintBarsProps {
  bars: FootprintBar[];
}

/** One bar per footprint value with its verdict as tooltip. */
export function FootprintBars({ bars }: FootprintBarsProps) {
  if (bars.length === 0) {
    return <p class="text-body-secondary m-2">No footprint data for job available.</p>;
  }
  return (
    <div class="cc-footprint p-2">
      {bars.map((bar) => {
        const label = bar.stat ? `${bar.name} (${bar.stat})` : bar.name;
        const pct = barPercent(bar.value, bar.peak);
        return (
          <div key={label} class="mb-2 cc-footprint-bar" title={bar.message}>
            <div class="d-flex justify-content-between small gap-2">
              <span class="text-truncate">
                {bar.icons.map((icon) => (
                  <i key={icon} class={`bi bi-${icon} text-${bar.color} me-1`} aria-hidden="true">
                  </i>
                ))}
                <b>{label}</b>
              </span>
              <span class="text-nowrap">
                {bar.peak > 0
                  ? `${roundTwoDigits(bar.value)} / ${bar.peak} ${bar.unit}`
                  : `${roundTwoDigits(bar.value)} ${bar.unit}`}
              </span>
            </div>
            <div class="d-flex align-items-center gap-1">
              {bar.lowerIsBetter && (
                <i class="bi bi-caret-left-fill small" aria-label="lower is better"></i>
              )}
              <svg
                class="cc-bar flex-grow-1"
                viewBox="0 0 100 8"
                preserveAspectRatio="none"
                role="img"
                aria-label={`${label}: ${bar.message}`}
              >
                <rect class="cc-bar-track" width="100" height="8" rx="2" />
                <rect class={`cc-fill-${bar.color}`} width={pct.toFixed(2)} height="8" rx="2" />
              </svg>
              {!bar.lowerIsBetter && (
                <i class="bi bi-caret-right-fill small" aria-label="higher is better"></i>
              )}
            </div>
          </div>
        );
      })}
    </div>
  );
}

const HARDWARE_ICONS: Record<string, string> = {
  CPU: "cpu-fill",
  Accelerator: "gpu-card",
  Memory: "memory",
  Core: "grid-fill",
};

/** The hardware an energy metric measures, as cc-backend guesses it from the name. */
export function energyHardware(metric: string): string {
  if (/cpu/i.test(metric)) return "CPU";
  if (/acc/i.test(metric)) return "Accelerator";
  if (/mem/i.test(metric)) return "Memory";
  if (/core/i.test(metric)) return "Core";
  return "Other";
}

/** Kilograms of CO2 for `energyKwh` at `gramsPerKwh` (two decimals). */
export function carbonEmission(energyKwh: number, gramsPerKwh: number): number {
  return Math.round((energyKwh * gramsPerKwh) / 10) / 100;
}

/** Props of {@link EnergySummary}. */
export interface EnergySummaryProps {
  energyFootprint: Record<string, number>;
  energy: number;
  /** g CO2 per kWh; 0 hides the emission. */
  emission: number;
}

/** Energy per hardware, total energy and emission. */
export function EnergySummary(props: EnergySummaryProps) {
  const entries = Object.entries(props.energyFootprint);
  return (
    <div class="card mb-3">
      <div class="card-body">
        <div class="row row-cols-1 row-cols-md-2 row-cols-xl-4 g-2 text-center">
          {entries.map(([metric, value]) => {
            const hardware = energyHardware(metric);
            return (
              <div
                key={metric}
                class="col"
                title={`Estimated energy consumption based on metric ${metric} and job runtime.`}
              >
                <i class={`bi bi-${HARDWARE_ICONS[hardware] ?? "pci-card"}`} aria-hidden="true"></i>
                <i class="bi bi-plug me-1" aria-hidden="true"></i>
                {hardware}: <b>{roundTwoDigits(value)} kWh</b> ({metric})
              </div>
            );
          })}
        </div>
        <hr />
        <div class="row text-center">
          <div class="col">
            <i class="bi bi-lightning-charge-fill me-1" aria-hidden="true"></i>
            Total Energy: <b>{roundTwoDigits(props.energy)} kWh</b>
          </div>
          {props.emission > 0 && (
            <div
              class="col"
              title={`Estimated CO2 emission based on the total energy and an emission constant of ${props.emission} g/kWh.`}
            >
              <i class="bi bi-cloud-fog2-fill me-1" aria-hidden="true"></i>
              Carbon Emission: <b>{carbonEmission(props.energy, props.emission)} kg</b>
            </div>
          )}
        </div>
      </div>
    </div>
  );
}
