/**
 * The demo's session: a customer-support agent for an outdoor-gear shop with a long system
 * prompt (~3K tokens), a dozen tools, five user turns, and the scripted replies the embedded
 * emulator plays (on real Bedrock, the model decides).
 */
import { tool, type ToolSet } from 'ai';
import { z } from 'zod';
import type { ScriptedReply } from '../src/emulator/index.js';

const CATEGORIES = [
  ['Trail Runner', 'trail-running shoe', 'recycled mesh upper, rock plate and a 6 mm drop'],
  ['Summit Boot', 'waterproof hiking boot', 'full-grain leather, a waterproof membrane and a Vibram outsole'],
  ['Storm Shell', 'rain jacket', 'three-layer waterproof fabric, taped seams and pit zips'],
  ['Ridge Fleece', 'midlayer fleece', 'grid fleece that traps warmth and dries fast'],
  ['Canyon Pack', 'daypack', 'a ventilated back panel, hip-belt pockets and a rain cover'],
  ['Basecamp Tent', 'backpacking tent', 'aluminium poles, two doors and a full-coverage fly'],
  ['Alpine Bag', 'down sleeping bag', 'responsibly sourced 800-fill down and a draft collar'],
  ['Lumen Lamp', 'headlamp', 'a rechargeable battery, red mode and a lockout switch'],
] as const;
const VERSIONS = ['2', '3', 'Pro', 'Lite', 'XT', 'GTX'] as const;
const COLOURS = ['slate', 'moss', 'ember', 'glacier', 'sand', 'midnight'] as const;

/** A deterministic product catalogue: 48 lines of realistic product data. */
function catalogue(): string {
  const lines: string[] = [];
  let sku = 1001;
  for (const [name, kind, features] of CATEGORIES) {
    for (const [v, version] of VERSIONS.entries()) {
      const colours = [COLOURS[v % COLOURS.length], COLOURS[(v + 2) % COLOURS.length]].join(' and ');
      const price = 49 + ((sku * 37) % 300);
      lines.push(
        `- AO-${sku} ${name} ${version}: ${kind} with ${features}. Colours: ${colours}. Price $${price}. ` +
          `Ships in ${1 + (sku % 3)} business days; ${sku % 4 === 0 ? 'final sale, no returns' : 'returnable within 60 days'}.`,
      );
      sku++;
    }
  }
  return lines.join('\n');
}

/** The long, stable system prompt: role, policies and the catalogue. */
export const SYSTEM_PROMPT = `You are Ava, the customer-support agent of Acme Outfitters, an online shop for hiking, running and camping gear.

## How you work
- Be warm, brief and precise. Answer in the customer's language. Never invent order data: look it up with the tools.
- Call several tools at once when the calls don't depend on each other (for example an order lookup and a stock check).
- Confirm before any action that changes an order, an address or money (returns, refunds, coupons), unless the customer asked for it explicitly.
- Quote prices in US dollars with two decimals. Quote dates as weekday and date.
- If a customer is upset, acknowledge it in one sentence, then solve the problem.
- Escalate to a human when the customer asks for one, for bulk or business orders over 20 items, for damaged-item claims with injuries, or after two failed attempts to solve a problem.

## Shipping policy
Standard shipping is free over $75 and costs $6.95 otherwise; it takes 3 to 5 business days in the contiguous United States. Express shipping costs $19.95 and takes 1 to 2 business days. We ship to Alaska, Hawaii and Canada in 5 to 9 business days for $24.95. Orders placed before 1 pm Pacific time on a business day leave the warehouse the same day. A tracking number is emailed when the parcel leaves the warehouse.

## Returns and refunds
Unworn items can be returned within 60 days of delivery for a full refund to the original payment method; worn items within 60 days for store credit. Final-sale items cannot be returned. The customer prints a prepaid label from the return confirmation; we deduct $5.95 for the label unless the item is defective or we made a mistake. Refunds are issued within 5 business days after the return arrives. Exchanges for another size are free and ship as soon as the return is scanned by the carrier.

## Warranty
Footwear has a 1-year warranty against defects in materials and workmanship (delamination, broken eyelets, failed waterproof membranes). Jackets, packs, tents and sleeping bags have a lifetime warranty against defects. Normal wear, misuse, accidents and alterations are not covered. A warranty claim needs the order number and photos; approved claims get a replacement or store credit.

## Coupons and loyalty
One coupon per order. Coupons cannot be combined with sale prices or applied to gift cards. SPRING10 gives 10% off full-price items until the end of May. Members of the Trail Club earn 5 points per dollar; 500 points are worth $25.

## Sizing guide
Trail Runner and Summit Boot models run true to size; customers between sizes should size up for long descents and thick socks. Storm Shell jackets have an athletic cut: recommend one size up for layering over a fleece. Ridge Fleece runs slightly large. Canyon Pack torso lengths: S/M fits 15 to 18 inches, M/L fits 18 to 21 inches. Alpine Bag comes in regular (up to 6 ft) and long (up to 6 ft 6 in). Women's footwear sizes are 1.5 sizes above men's sizes for the same foot length. When a customer gives a foot length in centimetres, use the chart on the product page and never guess.

## Privacy
Verify the customer with the order number and the email or postal code before sharing order details. Never read out full card numbers or full addresses of other people.

## Product catalogue
${catalogue()}
`;

const orders: Record<string, { status: string; items: string[]; trackingNumber?: string }> = {
  A1234: { status: 'shipped', items: ['AO-1001 Trail Runner 2', 'AO-1014 Storm Shell Pro'], trackingNumber: '1Z999AA10123456784' },
};

/** Twelve tools with deterministic results. */
export const TOOLS = {
  lookupOrder: tool({
    description: 'Look up an order by its number: status, items, tracking number.',
    inputSchema: z.object({ orderId: z.string().describe('Order number, e.g. A1234') }),
    execute: async ({ orderId }) => orders[orderId] ?? { status: 'not found' },
  }),
  trackShipment: tool({
    description: 'Carrier tracking events and the estimated delivery date for a tracking number.',
    inputSchema: z.object({ trackingNumber: z.string() }),
    execute: async ({ trackingNumber }) => ({ trackingNumber, carrier: 'UPS', lastEvent: 'Departed facility, Reno NV', estimatedDelivery: 'Thursday, May 15' }),
  }),
  searchProducts: tool({
    description: 'Search the catalogue by free text; returns matching SKUs with names and prices.',
    inputSchema: z.object({ query: z.string(), maxResults: z.number().int().min(1).max(10).optional() }),
    execute: async ({ query }) => ({ query, results: [{ sku: 'AO-1001', name: 'Trail Runner 2', price: 129 }] }),
  }),
  checkInventory: tool({
    description: 'Units in stock for a SKU, optionally for one size.',
    inputSchema: z.object({ sku: z.string(), size: z.string().optional() }),
    execute: async ({ sku, size }) => ({ sku, size, inStock: 14, warehouse: 'Reno' }),
  }),
  getProductDetails: tool({
    description: 'Full product details for a SKU: materials, sizes, care instructions.',
    inputSchema: z.object({ sku: z.string() }),
    execute: async ({ sku }) => ({ sku, sizes: ['7', '8', '9', '10', '11', '12'], care: 'Hand wash, air dry.' }),
  }),
  createReturn: tool({
    description: 'Create a return (RMA) for items of an order and email the prepaid label.',
    inputSchema: z.object({ orderId: z.string(), sku: z.string(), reason: z.string(), exchangeSize: z.string().optional() }),
    execute: async ({ orderId, sku }) => ({ rma: 'RMA-5521', orderId, sku, labelFee: 5.95, labelEmailed: true }),
  }),
  issueRefund: tool({
    description: 'Refund an amount to the original payment method or as store credit.',
    inputSchema: z.object({ orderId: z.string(), amount: z.number(), method: z.enum(['original', 'storeCredit']) }),
    execute: async ({ orderId, amount, method }) => ({ orderId, amount, method, refundId: 'RF-7781' }),
  }),
  updateAddress: tool({
    description: "Change the customer's default shipping address.",
    inputSchema: z.object({ customerId: z.string(), street: z.string(), city: z.string(), postalCode: z.string().optional() }),
    execute: async ({ customerId, city }) => ({ customerId, city, updated: true }),
  }),
  applyCoupon: tool({
    description: "Attach a coupon to the customer's next order.",
    inputSchema: z.object({ customerId: z.string(), code: z.string() }),
    execute: async ({ code }) => ({ code, valid: code === 'SPRING10', discount: '10% off full-price items' }),
  }),
  getCustomerProfile: tool({
    description: 'Customer profile: name, email, default address, loyalty points, recent orders.',
    inputSchema: z.object({ customerId: z.string() }),
    execute: async ({ customerId }) => ({ customerId, name: 'Jordan Lee', loyaltyPoints: 740, recentOrders: ['A1234'] }),
  }),
  escalateToHuman: tool({
    description: 'Hand the conversation to a human agent with a short summary.',
    inputSchema: z.object({ summary: z.string(), priority: z.enum(['low', 'normal', 'high']) }),
    execute: async () => ({ ticket: 'T-30412', expectedResponse: 'within 4 business hours' }),
  }),
  scheduleCallback: tool({
    description: 'Schedule a phone call from the sales or support team.',
    inputSchema: z.object({ customerId: z.string(), team: z.enum(['sales', 'support']), preferredTime: z.string() }),
    execute: async ({ preferredTime, team }) => ({ team, confirmedTime: preferredTime, reference: 'CB-118' }),
  }),
} satisfies ToolSet;

/** The customer's messages, one per turn. */
export const USER_TURNS = [
  'Hi! Where is my order A1234? And do you have the Trail Runner 2 in size 10?',
  'Great, thanks. The Storm Shell from that order is too small. Can I return it? My customer id is C-889.',
  'Please also change my shipping address to 12 Harbor Lane, Portland 97201, and put coupon SPRING10 on my next order.',
  'What does the warranty cover on hiking boots?',
  'Last thing: can someone from sales call me tomorrow at 10 am about a bulk order of 30 packs for my hiking club?',
] as const;

/** What the emulator answers, request by request (the agent loop of each turn). */
export const SCRIPTED_REPLIES: ScriptedReply[] = [
  // turn 1: two independent lookups in parallel, then tracking, then the answer
  {
    text: 'Let me check your order and the stock.',
    toolUses: [
      { name: 'lookupOrder', input: { orderId: 'A1234' } },
      { name: 'checkInventory', input: { sku: 'AO-1001', size: '10' } },
    ],
  },
  { toolUses: [{ name: 'trackShipment', input: { trackingNumber: '1Z999AA10123456784' } }] },
  {
    text: 'Your order A1234 has shipped with UPS and should arrive on Thursday, May 15. Good news too: the Trail Runner 2 is in stock in size 10 (14 pairs in our Reno warehouse).',
  },
  // turn 2: profile + return in parallel
  {
    toolUses: [
      { name: 'getCustomerProfile', input: { customerId: 'C-889' } },
      { name: 'createReturn', input: { orderId: 'A1234', sku: 'AO-1014', reason: 'too small' } },
    ],
  },
  {
    text: 'Done, Jordan: return RMA-5521 is open for the Storm Shell Pro and the prepaid label is in your inbox. A $5.95 label fee applies; the refund reaches your card within 5 business days after the jacket arrives.',
  },
  // turn 3: address + coupon in parallel
  {
    toolUses: [
      { name: 'updateAddress', input: { customerId: 'C-889', street: '12 Harbor Lane', city: 'Portland', postalCode: '97201' } },
      { name: 'applyCoupon', input: { customerId: 'C-889', code: 'SPRING10' } },
    ],
  },
  { text: 'Your address is now 12 Harbor Lane, Portland 97201, and SPRING10 (10% off full-price items) is attached to your next order.' },
  // turn 4: answered from the system prompt
  {
    text: 'Hiking boots have a 1-year warranty against defects in materials and workmanship, such as delamination, broken eyelets or a failed waterproof membrane. Normal wear, accidents and alterations are not covered. Send the order number and photos and we replace the boots or give store credit.',
  },
  // turn 5: callback + escalation (bulk order over 20 items) in parallel
  {
    toolUses: [
      { name: 'scheduleCallback', input: { customerId: 'C-889', team: 'sales', preferredTime: 'tomorrow 10:00' } },
      { name: 'escalateToHuman', input: { summary: 'Bulk order: 30 Canyon Packs for a hiking club', priority: 'normal' } },
    ],
  },
  { text: 'All set: our sales team will call you tomorrow at 10 am (reference CB-118), and I passed the bulk-order details on (ticket T-30412).' },
];
