export {
  createNotificationSender,
  IMPACT_USER_AGENT,
  type NotificationSender,
  type NotificationSenderOptions,
  type SendInput,
  type SendResult,
} from "./create-notification-sender.js";
