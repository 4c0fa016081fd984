import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["shared/**/*.test.ts", "functions/**/*.test.ts", "infra/**/*.test.ts", "addin/**/*.test.{ts,tsx}", "tests/**/*.test.ts"],
    exclude: ["**/node_modules/**", "**/dist/**", "cdk.out/**"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
