import { compliantService, findingsOf, policyStack } from "./helpers";

const secretRef = (name: string) => ({ name, valueSource: { secretKeyRef: { secret: name, version: "latest" } } });

describe("MM-SEC-1 secrets in plain env", () => {
  it("accepts plain settings and Secret Manager references, whatever their names", () => {
    const stack = policyStack((s) =>
      compliantService(s, "api", {
        container: {
          env: [
            { name: "LOG_LEVEL", value: "DEBUG" },
            { name: "USERS_SERVICE_URL", value: "https://users-service-3858903851.us-east4.run.app" },
            { name: "OFF_USER_AGENT", value: "MindMirrorMeals/1.0 (+support@mindmirror.app)" },
            secretRef("OPENAI_API_KEY"),
            secretRef("DATABASE_URL"),
          ],
        },
      }),
    );
    expect(findingsOf(stack, "MM-SEC-1")).toEqual([]);
  });

  it.each(["OPENAI_API_KEY", "SUPABASE_JWT_SECRET", "GITHUB_TOKEN", "DB_PASSWORD", "APIKEY", "service_role_keys"])(
    "fails if %s is a plain value",
    (name) => {
      const stack = policyStack((s) => compliantService(s, "api", { container: { env: [{ name, value: "x" }] } }));
      expect(findingsOf(stack, "MM-SEC-1").map((f) => [f.level, f.path, f.message])).toEqual([
        ["error", "foundation-staging/api", expect.stringContaining(`env ${name} is a plain value but its name marks a secret`)],
      ]);
    },
  );

  it.each(["postgresql://app:s3cret@db.internal:5432/mindmirror", "redis://:s3cret@cache:6379/0", "https://ghp_token@github.com/x"])(
    "fails if a URL with credentials is a plain value, without repeating it (%s)",
    (value) => {
      const stack = policyStack((s) => compliantService(s, "api", { container: { env: [{ name: "DATABASE_URL", value }] } }));
      const findings = findingsOf(stack, "MM-SEC-1");
      expect(findings.map((f) => f.level)).toEqual(["error"]);
      expect(findings[0].message).toContain("env DATABASE_URL is a plain value holding a URL with credentials");
      expect(findings[0].message).not.toContain("s3cret");
      expect(findings[0].message).not.toContain("ghp_token");
    },
  );
});
