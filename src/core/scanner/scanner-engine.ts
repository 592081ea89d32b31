/**
 * Scanners in a session: each enabled entry of `scanners` scans its universe before the session
 * (`pre_session`) and at the times of its `regular_session` windows (start, start + interval ...
 * up to end, in the exchange's local time). Symbols a scan selects are added through the
 * coordinator; symbols it added and no longer selects are removed (their open orders cancelled).
 * The session's own symbols are never removed.
 */
import { existsSync, readFileSync } from "node:fs";
import * as v from "valibot";
import type { BrokerExtension } from "../broker/broker-extension.ts";
import type { Session } from "../config/load-session.ts";
import type { EngineContext, EngineExtension } from "../engine/extension.ts";
import { pluginError } from "../errors.ts";
import type { PluginRegistry } from "../plugins/discover.ts";
import type { TradingSession } from "../time/calendar.ts";
import { isoUtc } from "../time/dates.ts";
import { requireInterval } from "../time/interval.ts";
import { parseClockTime } from "../time/tz.ts";
import type { ScannerContext, ScannerPlugin } from "./define.ts";

type Entry = Session["scanners"][number];

interface Instance {
  entry: Entry;
  plugin: ScannerPlugin;
  file: string;
  params: unknown;
  universe: string[];
  /** Symbols this scanner added and still holds. */
  holding: Set<string>;
  /** Today's scan instants, ascending, and the next one to run. */
  times: number[];
  next: number;
}

/** One scan, for the summary. */
export interface ScanRecord {
  scanner: string;
  time: string;
  selected: string[];
  added: string[];
  removed: string[];
}

/** The extension that runs the session's scanners. */
export class ScannerEngine implements EngineExtension {
  readonly name = "scanners";
  readonly stage = "scanners";
  readonly scans: ScanRecord[] = [];
  private readonly instances: Instance[] = [];
  private engine!: EngineContext;

  constructor(private readonly registry: PluginRegistry, private readonly broker: BrokerExtension) {}

  symbols(session: Session): string[] {
    return this.configured(session).flatMap((i) => i.universe);
  }

  setup(engine: EngineContext): void {
    this.engine = engine;
    for (const instance of this.configured(engine.session)) {
      this.instances.push(instance);
      const days = typeof instance.plugin.historyDays === "function" ? instance.plugin.historyDays(instance.params as never) : (instance.plugin.historyDays ?? 2);
      for (const symbol of instance.universe) engine.requireHistory(symbol, requireInterval("1d"), days);
    }
    if (this.instances.length > 0) engine.hooks.onStep((end) => this.runDue(end));
  }

  /** PHASE_2, at the pre-market (before the open): the day's scan times, and the pre-session scan. */
  onHistory(session: TradingSession): void {
    const { calendar } = this.engine;
    for (const instance of this.instances) {
      const times: number[] = [];
      for (const window of instance.entry.regular_session ?? []) {
        const step = requireInterval(window.interval).ms;
        const from = calendar.sessionInstant(session.day, parseClockTime(window.start)!);
        const to = calendar.sessionInstant(session.day, parseClockTime(window.end)!);
        for (let t = from; t <= to && t <= session.close; t += step) if (t >= session.open) times.push(t);
      }
      instance.times = [...new Set(times)].sort((a, b) => a - b);
      instance.next = 0;
      if (instance.entry.pre_session) this.scan(instance, true);
    }
  }

  /** The scans that ran, for summary.json. */
  summary(): ScanRecord[] {
    return this.scans;
  }

  private runDue(end: number): void {
    for (const instance of this.instances) {
      let due = false;
      while (instance.next < instance.times.length && instance.times[instance.next]! <= end) {
        instance.next++;
        due = true;
      }
      if (due) this.scan(instance, false);
    }
  }

  private scan(instance: Instance, preSession: boolean): void {
    const { engine } = this;
    const { data, clock } = engine;
    const ctx: ScannerContext = {
      scanner: instance.entry.name,
      params: instance.params,
      now: clock.now(),
      session: data.session,
      preSession,
      universe: instance.universe,
      active: data.symbols.filter((_, s) => data.active[s] === 1),
      daily: (symbol) => data.historyOf(symbol, "1d")?.columns(),
      today: (symbol) => engine.todayBars(symbol),
    };
    let selected: readonly string[];
    try {
      selected = instance.plugin.scan(ctx as never);
    } catch (error) {
      throw pluginError({ plugin: instance.entry.name, file: instance.file, hook: "scan", barTime: clock.now() }, (error as Error)?.message ?? String(error), error);
    }
    const chosen = selected.filter((symbol) => instance.universe.includes(symbol));
    const added: string[] = [];
    const removed: string[] = [];
    for (const symbol of chosen) {
      if (engine.addSymbol(symbol, instance.entry.name)) added.push(symbol);
      if (!engine.session.session_data_config.symbols.includes(symbol)) instance.holding.add(symbol);
    }
    for (const symbol of [...instance.holding]) {
      if (chosen.includes(symbol)) continue;
      instance.holding.delete(symbol);
      if (this.instances.some((other) => other.holding.has(symbol))) continue;
      if (engine.removeSymbol(symbol, instance.entry.name)) {
        removed.push(symbol);
        for (const order of this.broker.book.openOrders(symbol)) this.broker.execution.cancel(order.id, `${symbol} was removed from the session by ${instance.entry.name}`);
      }
    }
    this.scans.push({ scanner: instance.entry.name, time: isoUtc(clock.now()), selected: [...chosen], added, removed });
  }

  private configured(session: Session): Instance[] {
    return session.scanners
      .filter((entry) => entry.enabled)
      .map((entry) => {
        const found = this.registry.get<ScannerPlugin>("scanner", entry.name)!;
        return {
          entry,
          plugin: found.plugin,
          file: found.file,
          params: v.parse(found.plugin.params, entry.params),
          universe: universeOf(entry, found.plugin),
          holding: new Set<string>(),
          times: [],
          next: 0,
        };
      });
  }
}

/** The scanner's universe: the entry's list, or its file (a symbol per line, # comments), or the plugin's default. */
export function universeOf(entry: Entry, plugin: ScannerPlugin): string[] {
  const given = entry.universe;
  if (Array.isArray(given)) return [...given];
  if (typeof given === "string") {
    if (!existsSync(given)) throw pluginError({ plugin: entry.name, hook: "universe" }, `the universe file ${given} does not exist`);
    return readFileSync(given, "utf8")
      .split("\n")
      .map((line) => line.replace(/#.*/, "").trim().toUpperCase())
      .filter(Boolean);
  }
  if (plugin.universe) return [...plugin.universe];
  throw pluginError({ plugin: entry.name, hook: "universe" }, "no universe: give scanners[].universe (a list of symbols or a file)");
}
