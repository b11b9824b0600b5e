/**
 * The small ports the domain code works through. Adapters (`../adapters/`) implement them over the real services;
 * tests run the real adapters against local fakes (the Skill Management API on 127.0.0.1, Lambda through
 * aws-sdk-client-mock). The errors every adapter uses for the same meaning live here too.
 */
export * from "./beta-test";
export * from "./errors";
export * from "./functions";
export * from "./metrics";
export * from "./simulation";
export * from "./skill-package";
export * from "./skills";
export * from "./tunnel";
export * from "./validations";
