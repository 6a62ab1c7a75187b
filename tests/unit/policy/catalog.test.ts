import { ALL_RULES, TYPES } from "../../../policy/rules";

/** The forms of the baseline controls the rules cite. */
const CONTROL_FORMS = [
  /^FSBP [A-Za-z0-9]+\.\d+$/,
  /^Security Hub [A-Za-z0-9]+\.\d+ \(NIST 800-53\)$/,
  /^AwsSolutions-[A-Z0-9]+$/,
  /^CKV2?_AWS_\d+$/,
  /^(cdk-nag )?Serverless-[A-Za-z]+$/,
];

describe("the rule catalogue", () => {
  it("gives each rule a unique id of the form TAP-<AREA>-<n>", () => {
    const ids = ALL_RULES.map((rule) => rule.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^TAP-[A-Z0-9]+-[1-9]\d*$/);
  });

  it.each(ALL_RULES.map((rule) => [rule.id, rule] as const))(
    "%s cites baseline controls, a severity, an enforcement level and known resource types",
    (_id, rule) => {
      const controls = rule.baseline.split(", ");
      for (const control of controls) {
        expect({ control, known: CONTROL_FORMS.some((form) => form.test(control)) }).toEqual({
          control,
          known: true,
        });
      }
      expect(["critical", "high", "medium", "low"]).toContain(rule.severity);
      expect(["mandatory", "advisory"]).toContain(rule.enforcement);
      expect(rule.resourceTypes.length).toBeGreaterThan(0);
      for (const type of rule.resourceTypes) {
        expect(Object.values(TYPES)).toContain(type);
      }
      expect(rule.title.length).toBeGreaterThan(10);
      expect(rule.remediation.length).toBeGreaterThan(10);
    },
  );
});
