// ES module entry: the same objects as the CommonJS entry.
import cjs from './index.js'

export const {
  Client,
  Sandbox,
  verifyNotification,
  notificationSignature,
  sign,
  stringToSign,
  debugStringToSign,
  qr,
  generateOutTradeNo,
  NOTIFICATION_ACK,
  SANDBOX_APP_CODE,
  SANDBOX_CLIENT_KEY,
  VERSION,
  CORE_VERSION,
  QfPayError,
  ValidationError,
  ConfigError,
  ApiError,
  AuthError,
  InvalidRequestError,
  DeclinedError,
  DuplicateOrderError,
  OrderStateError,
  RefundRejectedError,
  AccountError,
  ServerError,
  RateLimitedError,
  NetworkError,
  RequestTimeoutError,
  StatusUnknownError,
  DecodeError,
  SignatureError,
  ERROR_CLASSES
} = cjs

export default cjs
