export {
  type ContractDocument,
  type Random,
  type SampleOptions,
  sampleNotification,
  seededRandom,
} from "../samples/index.js";
export {
  createNotificationSender,
  IMPACT_USER_AGENT,
  type NotificationSender,
  type NotificationSenderOptions,
  type SendInput,
  type SendResult,
} from "../sender/index.js";
