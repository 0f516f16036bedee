export { type ContractDocument, type SampleOptions, sampleNotification } from "../samples/sample-notification.js";
export { type Random, seededRandom } from "../samples/seeded-random.js";
export {
  createNotificationSender,
  IMPACT_USER_AGENT,
  type NotificationSender,
  type NotificationSenderOptions,
  type SendInput,
  type SendResult,
} from "../sender/create-notification-sender.js";
