import {describe, expect, it} from "vitest";
import {atDefaults, figurePages, pages} from "../../src/core/pages.js";
import {
  defaultLifecycleRules,
  lifecycleSettings,
  settingsModel,
  settingsRules
} from "../../src/core/sql/lifecycleSql.js";
import {noProfitFilter, profitFirstView} from "../../src/core/sql/profitSql.js";
import {retentionFirstView} from "../../src/core/sql/retentionSql.js";

describe("pages", () => {
  it("lists each page once, by key and by path, the overview first at /", () => {
    expect(pages[0]).toMatchObject({key: "overview", path: "/"});
    expect(new Set(pages.map((p) => p.key)).size).toBe(pages.length);
    expect(new Set(pages.map((p) => p.path)).size).toBe(pages.length);
    expect(figurePages.map((p) => p.key)).toEqual(["profit", "retention", "satisfaction", "equity", "lifecycle"]);
  });
});

describe("atDefaults(params, defaults)", () => {
  it("is true only when every field, nested too, equals its default", () => {
    const defaults = {period: "month", filter: {channel: null}, windowDays: 113};
    expect(atDefaults({period: "month", filter: {channel: null}, windowDays: 113}, defaults)).toBe(true);
    expect(atDefaults({period: "week", filter: {channel: null}, windowDays: 113}, defaults)).toBe(false);
    expect(atDefaults({period: "month", filter: {channel: "email"}, windowDays: 113}, defaults)).toBe(false);
    expect(atDefaults({period: "month", filter: {channel: null}, windowDays: 114}, defaults)).toBe(false);
    // A missing or an extra field is a different view, and null is not 0, "" or undefined.
    expect(atDefaults({period: "month", filter: {channel: null}}, defaults)).toBe(false);
    expect(atDefaults({...defaults, segment: null}, defaults)).toBe(false);
    expect(atDefaults({channel: 0}, {channel: null})).toBe(false);
    expect(atDefaults({channel: ""}, {channel: null})).toBe(false);
  });

  it("recognises each page's first view as its loader makes it", () => {
    // The profit page: its form's assumptions at the source's margin, and no filter.
    const {assumptions} = profitFirstView(0.3);
    expect(atDefaults({assumptions: {...assumptions}, filter: {...noProfitFilter}}, profitFirstView(0.3))).toBe(true);
    expect(
      atDefaults({assumptions: {...assumptions, perReturn: 6}, filter: noProfitFilter}, profitFirstView(0.3))
    ).toBe(false);
    expect(atDefaults({assumptions, filter: noProfitFilter}, profitFirstView(0.35))).toBe(false);
    // The retention page's warning at the data's window, and at another.
    const first = retentionFirstView(113);
    expect(first.stateRules.inactivityDays).toBe(113);
    expect(atDefaults({filter: {channel: null}, stateRules: {...first.stateRules}}, first)).toBe(false);
    expect(
      atDefaults(
        {filter: {channel: null}, stateRules: {...first.stateRules}},
        {filter: first.filter, stateRules: first.stateRules}
      )
    ).toBe(true);
    // The lifecycle page reads its rules back from the settings row the loader wrote.
    const rules = defaultLifecycleRules(120);
    const model = {r: 0.24, alpha: 4.4, a: 0.79, b: 2.4};
    expect(settingsRules(lifecycleSettings(rules, model, "2024-12-31"))).toEqual(rules);
    expect(settingsModel(lifecycleSettings(rules, model, "2024-12-31"))).toEqual(model);
    expect(settingsModel(lifecycleSettings(rules, null, "2024-12-31"))).toBeNull();
    expect(lifecycleSettings(rules, null, "2024-12-31")).toEqual({
      identification_days: 90,
      development_days: 180,
      inactivity_days: 120,
      lost_days: 240,
      k: 2,
      min_purchases: 3,
      min_p_alive: 0.3,
      has_model: false,
      model_r: null,
      model_alpha: null,
      model_a: null,
      model_b: null,
      observation_end: "2024-12-31"
    });
  });
});
