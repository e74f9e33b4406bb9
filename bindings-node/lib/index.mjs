// ES module entry: the same objects as the CommonJS entry (Node finds their names in
// lib/index.js's literal exports).
export * from './index.js'
export { default } from './index.js'
