// express@4 is installed under the alias "express4" (package.json) for the adapter tests; its API
// is the subset of @types/express (v5) these tests use.
declare module "express4" {
  import express from "express";
  export default express;
}
