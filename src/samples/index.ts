export { type ContractDocument, type SampleOptions, sampleNotification } from "./sample-notification.js";
export { type Random, seededRandom } from "./seeded-random.js";
