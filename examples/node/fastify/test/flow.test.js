// The whole checkout over real HTTP against a sandbox (../../checkout-flow.mjs). Run: npm test
import { fileURLToPath } from 'node:url'
import * as qfpay from 'qfpay'
import { checkoutFlow } from '../../checkout-flow.mjs'

checkoutFlow('the Fastify checkout', fileURLToPath(new URL('../app.js', import.meta.url)), qfpay)
