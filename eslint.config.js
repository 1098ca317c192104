// Lint rules for autogen's own code (src/, test/): ESLint's and typescript-eslint's
// recommended sets, without type information so `npm run lint` stays fast on 2 cores.
// Formatting is prettier's business (.prettierrc.json), not the linter's.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/**", "node_modules/**", "fixtures/**", "models-example/**", "test/golden/**", "templates/**", "**/*.d.ts"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["src/**/*.ts", "test/**/*.ts"],
    rules: {
      // Revision files and TypeORM's metadata are untyped at the seam; `any` there is deliberate.
      "@typescript-eslint/no-explicit-any": "off",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none" }],
      // Tests build revision files and regexes from strings; control characters are data there.
      "no-control-regex": "off",
      // `let [i, op]` where only `op` is reassigned stays one declaration.
      "prefer-const": ["error", { destructuring: "all" }],
    },
  },
  {
    // Tests apply TypeORM's decorators by hand, whose targets TypeORM itself types as `Function`.
    files: ["test/**/*.ts"],
    rules: { "@typescript-eslint/no-unsafe-function-type": "off" },
  },
);
