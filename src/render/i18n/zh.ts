/**
 * Chinese (simplified) catalogue, in the register of UN documents (terminology: "缔约国会议",
 * "执行支助股", "联合国会费分摊比额表", "最不发达国家"; the Convention is "《公约》").
 *
 * Numbers: group ",", decimal "." (as in UN Chinese documents, Western digits). Money
 * "CHF 1,234.50" with U+00A0 so the code never breaks from the amount; percent "0.081%";
 * dates "2026年1月15日". Full-width punctuation in sentences; no spaces between Han characters
 * and Latin or digits (UN Chinese document style).
 */
import type { Messages } from './types.js';
import { joinList } from './format.js';
import { formatAmount } from '../number.js';

const NBSP = '\u00A0';
const num = (s: string): string => formatAmount(s, 'zh');
const pct = (s: string): string => `${s}%`;

export const zh: Messages = {
  lang: 'zh',
  dir: 'ltr',
  name: '中文',
  number: num,
  money: (s, c) => `${c}${NBSP}${num(s)}`,
  date: (y, m, d) => `${y}年${m}月${d}日`,
  percent: pct,

  invoice: '发票',
  creditNote: '贷记通知单',
  reminder: '催缴通知',
  invoiceNumber: '发票编号',
  creditNoteNumber: '贷记通知单编号',
  issueDate: '开具日期',
  dueDate: '付款截止日期',
  currency: '币种',
  reference: '付款参考号',
  replaces: (n) => `本发票取代发票${n}，该发票已由贷记通知单注销。`,
  cancels: (n) => `本贷记通知单全额注销发票${n}。`,
  from: '开具方',
  to: '收件方',
  subject: (state, year) => `${state}对执行支助股${year}年预算的缴款`,
  description: '摘要',
  amount: '金额',
  basisName: (basis) => (basis === 'equal' ? '平均分摊份额' : basis === 'scale' ? '按联合国会费分摊比额表计算的份额' : '固定金额'),
  categoryLine: (name, year) => `${name}，${year}年`,
  contributions: (year) => `${year}年缴款`,
  arrearsFor: (year) => `${year}年未缴余额`,
  arrearsTotal: '以往年份欠款',
  creditsApplied: '已抵扣的付款和贷记',
  adjustmentsApplied: '重新摊派和贷记通知单',
  totalDue: '应付总额',
  creditRemaining: (a) => `本发票开具后，贵方账户剩余贷记额为${a}。`,

  howToPay: '付款方式',
  payBy: (total, due) => `请不迟于${due}将${total}汇入下列账户。`,
  nothingToPay: '本发票无应付款项：已由已收到的付款和贷记全额抵付。',
  accountHolder: '账户持有人',
  bank: '银行',
  iban: 'IBAN',
  bic: 'BIC（SWIFT）',
  quoteReference: '请注明付款参考号，以便贵方付款与本发票自动匹配。',
  qrBill: '瑞士二维码账单（适用于从瑞士境内账户付款）',

  noteTitle: '贵国缴款的计算方法',
  budget: (amount, year) => `缔约国会议通过了${year}年预算，金额为${amount}。预算依照财务程序在各缔约国之间分摊。`,
  unRate: (rate, period) => `贵国在${period}年联合国会费分摊比额表中的分摊比率为${rate}。`,
  notionalRate: (rate) => `由于贵国没有联合国会费分摊比率，分摊规则为贵国确定的名义比率为${rate}。`,
  ldc: '贵国被列为最不发达国家。',
  proRata: (months, year) => `在${year}年的12个月中，《公约》在其中${months}个月的第一天对贵国具有约束力，因此贵国的份额按${months}个月计算。`,
  categoryRule: (basis, id, share, amount, members) => {
    const part = share === null ? `${amount}` : `预算的${share}，即${amount}，`;
    if (basis === 'equal') return `${id}：${part}由${members}个国家平均分摊。`;
    if (basis === 'scale') return `${id}：${part}由${members}个国家按各自的联合国会费分摊比率分摊，比率经调整后合计为${pct('100')}。`;
    return `${id}：固定金额${amount}。`;
  },
  adjustedShare: (p) => `按本类别成员调整后，贵国的比率为本类别的${p}。`,
  equalShare: (months, total) => `贵国的权重为${months}个月，全体成员合计为${total}个月。`,
  renormalised: (p, held) => `由于有${held}个国家的份额被限定在下限或上限，其余部分已在其他国家之间重新分摊：贵国的份额为本类别的${p}。`,
  bound: (kind, limit) =>
    kind === 'max'
      ? `贵国的份额以上限${limit}为限。`
      : kind === 'min'
        ? `贵国的份额提高至下限${limit}。`
        : `贵国的份额以最不发达国家适用的上限${limit}为限。`,
  fixedShare: (p) => `分摊规则规定贵国在本类别中的固定份额为${p}。`,
  quota: (rounded) => `贵国的份额：${rounded}。`,
  rounding: (method, unit) =>
    method === 'largest-remainder'
      ? `各金额按最大余数法舍入至${unit}，使各份额之和与预算完全相等。`
      : `每一金额单独舍入至${unit}（${method === 'half-up' ? '逢半进位' : '逢半取偶'}）。`,

  owedTitle: '贵方账户情况',
  noArrears: (date) => `截至${date}，以往年份无未缴款项。谨致谢意。`,
  arrears: (amount, date, years, since) => `截至${date}，以往年份（${years}）仍有${amount}未缴；其中最早一笔款项自${since}起即已到期。`,
  credits: (amount, date) => `截至${date}收到的付款和贷记共计${amount}，已用于抵扣本发票。`,
  contact: (name, email, phone) => `如对本发票有任何疑问，请联系${name}（${email}，${phone}）。`,
  generated: (version) => `由finproc ${version}根据执行支助股账簿计算；相同的账簿总是生成相同的文件。`,
  list: (items) => joinList(items, '、', '和'),

  reminderSubject: (state) => `${state}的未缴款项`,
  reminderOpening: (level, date) =>
    level === 1
      ? `根据我们截至${date}的记录，下列缴款尚未支付。如蒙尽早支付，不胜感激。`
      : level === 2
        ? `根据我们截至${date}的记录，下列缴款已拖欠两年或两年以上。谨请贵方予以结清，或与我们联系商定付款计划。`
        : `根据我们截至${date}的记录，下列缴款已拖欠三年或三年以上。敦请贵方予以结清，或与我们联系商定付款计划。`,
  year: '年份',
  invoiceCol: '发票',
  assessed: '应缴额',
  paid: '已付和已贷记额',
  outstanding: '未缴额',
  dueSince: '到期日期',
  totalOutstanding: '未缴总额',
  reminderLevel: (level) => (level === 1 ? '第一次催缴通知' : level === 2 ? '第二次催缴通知' : '最后一次催缴通知'),
  quoteReferences: '请在付款时注明每张发票的付款参考号，以便自动核对贵方付款。',
  contactLetter: (name, email, phone) => `如对本函有任何疑问，请联系${name}（${email}，${phone}）。`,
  reminderClosing: '如贵方在此期间已付款，请忽略本函，并谨致谢意。',

  indexTitle: (year) => `${year}年发票`,
  state: '国家',
  language: '语言',
  document: '文件',
};
