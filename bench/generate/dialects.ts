// The three export dialects (spec/export-formats.md §1) as column lists — the exact documented headers — and one
// row formatter each: EA 2024-08-01 (57 columns), MCA 2023-12-01-preview (65), FOCUS 1.0 (96). EA and MCA write
// MM/DD/YYYY dates and Tags without braces; FOCUS writes ISO dates without seconds, Tags as a JSON object and a
// lower-cased ResourceId.
import type { Calendar } from './calendar.ts';
import { csvField } from './csv.ts';
import { formatScaled, scaleBy } from './exact.ts';
import type { Dialect } from './options.ts';
import type { Row } from './rows.ts';

export const EA_COLUMNS = [
  'InvoiceSectionName',
  'AccountName',
  'AccountOwnerId',
  'SubscriptionId',
  'SubscriptionName',
  'ResourceGroup',
  'ResourceLocation',
  'Date',
  'ProductName',
  'MeterCategory',
  'MeterSubCategory',
  'MeterId',
  'MeterName',
  'MeterRegion',
  'UnitOfMeasure',
  'Quantity',
  'EffectivePrice',
  'CostInBillingCurrency',
  'CostCenter',
  'ConsumedService',
  'ResourceId',
  'Tags',
  'OfferId',
  'AdditionalInfo',
  'ServiceInfo1',
  'ServiceInfo2',
  'ResourceName',
  'ReservationId',
  'ReservationName',
  'UnitPrice',
  'ProductOrderId',
  'ProductOrderName',
  'Term',
  'PublisherType',
  'PublisherName',
  'ChargeType',
  'Frequency',
  'PricingModel',
  'AvailabilityZone',
  'BillingAccountId',
  'BillingAccountName',
  'BillingCurrencyCode',
  'BillingPeriodStartDate',
  'BillingPeriodEndDate',
  'BillingProfileId',
  'BillingProfileName',
  'InvoiceSectionId',
  'IsAzureCreditEligible',
  'PartNumber',
  'PayGPrice',
  'PlanName',
  'ServiceFamily',
  'CostAllocationRuleName',
  'benefitId',
  'benefitName',
  'AccountId',
  'ResourceLocationNormalized',
] as const;

export const MCA_COLUMNS = [
  'invoiceId',
  'previousInvoiceId',
  'billingAccountId',
  'billingAccountName',
  'billingProfileId',
  'billingProfileName',
  'invoiceSectionId',
  'invoiceSectionName',
  'resellerName',
  'resellerMpnId',
  'costCenter',
  'billingPeriodEndDate',
  'billingPeriodStartDate',
  'servicePeriodEndDate',
  'servicePeriodStartDate',
  'date',
  'serviceFamily',
  'productOrderId',
  'productOrderName',
  'consumedService',
  'meterId',
  'meterName',
  'meterCategory',
  'meterSubCategory',
  'meterRegion',
  'ProductId',
  'ProductName',
  'SubscriptionId',
  'subscriptionName',
  'publisherType',
  'publisherId',
  'publisherName',
  'resourceGroupName',
  'ResourceId',
  'resourceLocation',
  'location',
  'effectivePrice',
  'quantity',
  'unitOfMeasure',
  'chargeType',
  'billingCurrency',
  'pricingCurrency',
  'costInBillingCurrency',
  'costInPricingCurrency',
  'costInUsd',
  'paygCostInBillingCurrency',
  'paygCostInUsd',
  'exchangeRatePricingToBilling',
  'exchangeRateDate',
  'isAzureCreditEligible',
  'serviceInfo1',
  'serviceInfo2',
  'additionalInfo',
  'tags',
  'PayGPrice',
  'frequency',
  'term',
  'reservationId',
  'reservationName',
  'pricingModel',
  'unitPrice',
  'costAllocationRuleName',
  'benefitId',
  'benefitName',
  'provider',
] as const;

export const FOCUS_COLUMNS = [
  'BilledCost',
  'BillingAccountId',
  'BillingAccountName',
  'BillingAccountType',
  'BillingCurrency',
  'BillingPeriodEnd',
  'BillingPeriodStart',
  'ChargeCategory',
  'ChargeClass',
  'ChargeDescription',
  'ChargeFrequency',
  'ChargePeriodEnd',
  'ChargePeriodStart',
  'CommitmentDiscountCategory',
  'CommitmentDiscountId',
  'CommitmentDiscountName',
  'CommitmentDiscountStatus',
  'CommitmentDiscountType',
  'ConsumedQuantity',
  'ConsumedUnit',
  'ContractedCost',
  'ContractedUnitPrice',
  'EffectiveCost',
  'InvoiceIssuerName',
  'ListCost',
  'ListUnitPrice',
  'PricingCategory',
  'PricingQuantity',
  'PricingUnit',
  'ProviderName',
  'PublisherName',
  'RegionId',
  'RegionName',
  'ResourceId',
  'ResourceName',
  'ResourceType',
  'ServiceCategory',
  'ServiceName',
  'SkuId',
  'SkuPriceId',
  'SubAccountId',
  'SubAccountName',
  'SubAccountType',
  'Tags',
  'x_AccountId',
  'x_AccountName',
  'x_AccountOwnerId',
  'x_BilledCostInUsd',
  'x_BilledUnitPrice',
  'x_BillingAccountId',
  'x_BillingAccountName',
  'x_BillingExchangeRate',
  'x_BillingExchangeRateDate',
  'x_BillingProfileId',
  'x_BillingProfileName',
  'x_ContractedCostInUsd',
  'x_CostAllocationRuleName',
  'x_CostCenter',
  'x_CustomerId',
  'x_CustomerName',
  'x_EffectiveCostInUsd',
  'x_EffectiveUnitPrice',
  'x_InvoiceId',
  'x_InvoiceIssuerId',
  'x_InvoiceSectionId',
  'x_InvoiceSectionName',
  'x_ListCostInUsd',
  'x_PartnerCreditApplied',
  'x_PartnerCreditRate',
  'x_PricingBlockSize',
  'x_PricingCurrency',
  'x_PricingSubcategory',
  'x_PricingUnitDescription',
  'x_PublisherCategory',
  'x_PublisherId',
  'x_ResellerId',
  'x_ResellerName',
  'x_ResourceGroupName',
  'x_ResourceType',
  'x_ServicePeriodEnd',
  'x_ServicePeriodStart',
  'x_SkuDescription',
  'x_SkuDetails',
  'x_SkuIsCreditEligible',
  'x_SkuMeterCategory',
  'x_SkuMeterId',
  'x_SkuMeterName',
  'x_SkuMeterSubcategory',
  'x_SkuOfferId',
  'x_SkuOrderId',
  'x_SkuOrderName',
  'x_SkuPartNumber',
  'x_SkuRegion',
  'x_SkuServiceFamily',
  'x_SkuTerm',
  'x_SkuTier',
] as const;

export const COLUMNS: Record<Dialect, readonly string[]> = { ea: EA_COLUMNS, mca: MCA_COLUMNS, focus: FOCUS_COLUMNS };

/** Manifest facts per dialect: dataset type and version. */
export const DATASET: Record<Dialect, { type: string; dataVersion: string }> = {
  ea: { type: 'ActualCost', dataVersion: '2024-08-01' },
  mca: { type: 'ActualCost', dataVersion: '2023-12-01-preview' },
  focus: { type: 'FocusCost', dataVersion: '1.0' },
};

/** EA and MCA files start with a byte order mark (export-formats §1a/§1b); FOCUS is written without. */
export const HAS_BOM: Record<Dialect, boolean> = { ea: true, mca: true, focus: false };

// The billing account the generated enrollment / agreement belongs to.
export const ACCOUNT = {
  eaEnrollment: '8611537',
  eaName: 'Contoso Ltd (EA)',
  mcaId: '5e8b3c2a-7d41-4f0e-9a6b-2c1d0e9f8a7b:4c7d2e1f-9a3b-4e8c-b5d6-1f0e2d3c4b5a_2019-05-31',
  mcaName: 'Contoso',
  profileId: 'K7QX-3MFB-BG7-PGB',
  profileName: 'Contoso Cloud',
  sectionId: 'WDTL-7XQF-PJA-PGB',
  sectionName: 'Platform',
  productOrderId: '3f9a1c7e-52b4-4d8a-9e61-0b7c2d5f8a13',
  currency: 'EUR',
  // EUR → USD for the *InUsd columns (exact decimal)
  usdRate: [10842n, 10000n] as const,
};

type Column = (row: Row, money: Money) => string;
/** a column: the same text on every row, or computed per row */
type ColumnSpec = string | Column;

interface Money {
  quantity: string;
  cost: string;
  costUsd: string;
}

function partNumber(row: Row): string {
  return `${row.meter.productId.slice(8, 11)}-${row.meter.meterId.slice(0, 5).toUpperCase()}`;
}

function eaColumns(calendar: Calendar): Record<(typeof EA_COLUMNS)[number], ColumnSpec> {
  const periodStart = calendar.day(1).us;
  const periodEnd = calendar.day(calendar.month.days).us;
  return {
    InvoiceSectionName: ACCOUNT.sectionName,
    AccountName: 'Contoso Cloud Platform',
    AccountOwnerId: 'finops@contoso.example',
    SubscriptionId: (r) => r.resource.placement.subscription.id,
    SubscriptionName: (r) => r.resource.placement.subscription.name,
    ResourceGroup: (r) => r.resource.placement.resourceGroup,
    ResourceLocation: (r) => r.resource.placement.region.name,
    Date: (r) => calendar.day(r.day).us,
    ProductName: (r) => r.meter.csv.product,
    MeterCategory: (r) => r.meter.category,
    MeterSubCategory: (r) => r.meter.csv.subcategory,
    MeterId: (r) => r.meter.meterId,
    MeterName: (r) => r.meter.csv.name,
    MeterRegion: (r) => r.resource.placement.region.display,
    UnitOfMeasure: (r) => r.meter.unit,
    Quantity: (_, m) => m.quantity,
    EffectivePrice: (r) => r.meter.price,
    CostInBillingCurrency: (_, m) => m.cost,
    CostCenter: 'CC-4711',
    ConsumedService: (r) => r.meter.consumedService,
    ResourceId: (r) => r.resource.id,
    Tags: (r) => r.resource.tagsField,
    OfferId: 'MS-AZR-0017P',
    AdditionalInfo: (r) => r.meter.csv.additionalInfo,
    ServiceInfo1: '',
    ServiceInfo2: '',
    ResourceName: (r) => r.resource.name,
    ReservationId: '',
    ReservationName: '',
    UnitPrice: (r) => r.meter.price,
    ProductOrderId: '',
    ProductOrderName: '',
    Term: '',
    PublisherType: 'Azure',
    PublisherName: 'Microsoft',
    ChargeType: 'Usage',
    Frequency: 'UsageBased',
    PricingModel: 'OnDemand',
    AvailabilityZone: '',
    BillingAccountId: ACCOUNT.eaEnrollment,
    BillingAccountName: csvField(ACCOUNT.eaName),
    BillingCurrencyCode: ACCOUNT.currency,
    BillingPeriodStartDate: periodStart,
    BillingPeriodEndDate: periodEnd,
    BillingProfileId: ACCOUNT.eaEnrollment,
    BillingProfileName: csvField(ACCOUNT.eaName),
    InvoiceSectionId: '1204571',
    IsAzureCreditEligible: 'True',
    PartNumber: partNumber,
    PayGPrice: (r) => r.meter.price,
    PlanName: '',
    ServiceFamily: (r) => r.meter.serviceFamily,
    CostAllocationRuleName: '',
    benefitId: '',
    benefitName: '',
    AccountId: '1204571',
    ResourceLocationNormalized: (r) => r.resource.placement.region.focusName,
  };
}

function mcaColumns(calendar: Calendar): Record<(typeof MCA_COLUMNS)[number], ColumnSpec> {
  const periodStart = calendar.day(1).us;
  const serviceEnd = calendar.day(calendar.month.days).us;
  return {
    // open billing period: no invoice yet, billing period dates empty (export-formats §1b)
    invoiceId: '',
    previousInvoiceId: '',
    billingAccountId: ACCOUNT.mcaId,
    billingAccountName: ACCOUNT.mcaName,
    billingProfileId: ACCOUNT.profileId,
    billingProfileName: ACCOUNT.profileName,
    invoiceSectionId: ACCOUNT.sectionId,
    invoiceSectionName: ACCOUNT.sectionName,
    resellerName: '',
    resellerMpnId: '',
    costCenter: 'CC-4711',
    billingPeriodEndDate: '',
    billingPeriodStartDate: '',
    servicePeriodEndDate: serviceEnd,
    servicePeriodStartDate: periodStart,
    date: (r) => calendar.day(r.day).us,
    serviceFamily: (r) => r.meter.serviceFamily,
    productOrderId: ACCOUNT.productOrderId,
    productOrderName: 'Azure plan',
    consumedService: (r) => r.meter.consumedService,
    meterId: (r) => r.meter.meterId,
    meterName: (r) => r.meter.csv.name,
    meterCategory: (r) => r.meter.category,
    meterSubCategory: (r) => r.meter.csv.subcategory,
    meterRegion: (r) => r.resource.placement.region.display,
    ProductId: (r) => r.meter.productId,
    ProductName: (r) => r.meter.csv.product,
    SubscriptionId: (r) => r.resource.placement.subscription.id,
    subscriptionName: (r) => r.resource.placement.subscription.name,
    publisherType: 'Microsoft',
    publisherId: '',
    publisherName: 'Microsoft',
    resourceGroupName: (r) => r.resource.placement.resourceGroup,
    ResourceId: (r) => r.resource.id,
    resourceLocation: (r) => r.resource.placement.region.name,
    location: (r) => r.resource.placement.region.display,
    effectivePrice: (r) => r.meter.price,
    quantity: (_, m) => m.quantity,
    unitOfMeasure: (r) => r.meter.unit,
    chargeType: 'Usage',
    billingCurrency: ACCOUNT.currency,
    pricingCurrency: ACCOUNT.currency,
    costInBillingCurrency: (_, m) => m.cost,
    costInPricingCurrency: (_, m) => m.cost,
    costInUsd: (_, m) => m.costUsd,
    paygCostInBillingCurrency: (_, m) => m.cost,
    paygCostInUsd: (_, m) => m.costUsd,
    exchangeRatePricingToBilling: '1',
    exchangeRateDate: periodStart,
    isAzureCreditEligible: 'True',
    serviceInfo1: '',
    serviceInfo2: '',
    additionalInfo: (r) => r.meter.csv.additionalInfo,
    tags: (r) => r.resource.tagsField,
    PayGPrice: (r) => r.meter.price,
    frequency: 'UsageBased',
    term: '',
    reservationId: '',
    reservationName: '',
    pricingModel: 'OnDemand',
    unitPrice: (r) => r.meter.price,
    costAllocationRuleName: '',
    benefitId: '',
    benefitName: '',
    provider: 'Azure',
  };
}

function focusColumns(calendar: Calendar): Record<(typeof FOCUS_COLUMNS)[number], ColumnSpec> {
  const billingAccount = `/providers/Microsoft.Billing/billingAccounts/${ACCOUNT.mcaId}`;
  const billingProfile = `${billingAccount}/billingProfiles/${ACCOUNT.profileId}`;
  const periodStart = calendar.focusTime(1);
  const periodEnd = calendar.focusTime(calendar.month.days + 1);
  const lowerIds = new Map<string, string>();
  const lower = (id: string) => {
    let out = lowerIds.get(id);
    if (out === undefined) {
      out = id.toLowerCase();
      lowerIds.set(id, out);
    }
    return out;
  };
  return {
    BilledCost: (_, m) => m.cost,
    BillingAccountId: billingProfile,
    BillingAccountName: ACCOUNT.profileName,
    BillingAccountType: 'Billing Profile',
    BillingCurrency: ACCOUNT.currency,
    BillingPeriodEnd: periodEnd,
    BillingPeriodStart: periodStart,
    ChargeCategory: 'Usage',
    ChargeClass: '',
    ChargeDescription: (r) => r.meter.csv.name,
    ChargeFrequency: 'Usage-Based',
    ChargePeriodEnd: (r) => calendar.focusTime(r.day + 1),
    ChargePeriodStart: (r) => calendar.focusTime(r.day),
    CommitmentDiscountCategory: '',
    CommitmentDiscountId: '',
    CommitmentDiscountName: '',
    CommitmentDiscountStatus: '',
    CommitmentDiscountType: '',
    ConsumedQuantity: (r) => formatScaled(r.quantity16 * r.meter.blockSize),
    ConsumedUnit: (r) => r.meter.distinctUnit,
    ContractedCost: (_, m) => m.cost,
    ContractedUnitPrice: (r) => r.meter.price,
    EffectiveCost: (_, m) => m.cost,
    InvoiceIssuerName: 'Microsoft',
    ListCost: (_, m) => m.cost,
    ListUnitPrice: (r) => r.meter.price,
    PricingCategory: 'Standard',
    PricingQuantity: (_, m) => m.quantity,
    PricingUnit: (r) => r.meter.distinctUnit,
    ProviderName: 'Microsoft',
    PublisherName: 'Microsoft',
    RegionId: (r) => r.resource.placement.region.name,
    RegionName: (r) => r.resource.placement.region.focusName,
    ResourceId: (r) => lower(r.resource.id),
    ResourceName: (r) => r.resource.name,
    ResourceType: (r) => r.resource.focusType,
    ServiceCategory: (r) => r.meter.serviceCategory,
    ServiceName: (r) => r.meter.serviceName,
    SkuId: (r) => r.meter.productId,
    SkuPriceId: '',
    SubAccountId: (r) => `/subscriptions/${r.resource.placement.subscription.id}`,
    SubAccountName: (r) => r.resource.placement.subscription.name,
    SubAccountType: 'Subscription',
    Tags: (r) => r.resource.tagsJsonField,
    x_AccountId: '',
    x_AccountName: '',
    x_AccountOwnerId: '',
    x_BilledCostInUsd: (_, m) => m.costUsd,
    x_BilledUnitPrice: (r) => r.meter.price,
    x_BillingAccountId: ACCOUNT.mcaId,
    x_BillingAccountName: ACCOUNT.mcaName,
    x_BillingExchangeRate: '1',
    x_BillingExchangeRateDate: periodStart,
    x_BillingProfileId: ACCOUNT.profileId,
    x_BillingProfileName: ACCOUNT.profileName,
    x_ContractedCostInUsd: (_, m) => m.costUsd,
    x_CostAllocationRuleName: '',
    x_CostCenter: 'CC-4711',
    x_CustomerId: '',
    x_CustomerName: '',
    x_EffectiveCostInUsd: (_, m) => m.costUsd,
    x_EffectiveUnitPrice: (r) => r.meter.price,
    x_InvoiceId: '',
    x_InvoiceIssuerId: '',
    x_InvoiceSectionId: ACCOUNT.sectionId,
    x_InvoiceSectionName: ACCOUNT.sectionName,
    x_ListCostInUsd: (_, m) => m.costUsd,
    x_PartnerCreditApplied: '',
    x_PartnerCreditRate: '',
    x_PricingBlockSize: (r) => r.meter.blockSize.toString(),
    x_PricingCurrency: ACCOUNT.currency,
    x_PricingSubcategory: 'Standard',
    x_PricingUnitDescription: (r) => r.meter.unit,
    x_PublisherCategory: 'Cloud Provider',
    x_PublisherId: '',
    x_ResellerId: '',
    x_ResellerName: '',
    x_ResourceGroupName: (r) => r.resource.placement.resourceGroup,
    x_ResourceType: (r) => r.resource.armType,
    x_ServicePeriodEnd: (r) => calendar.focusTime(r.day + 1),
    x_ServicePeriodStart: (r) => calendar.focusTime(r.day),
    x_SkuDescription: (r) => r.meter.csv.product,
    x_SkuDetails: (r) => r.meter.csv.skuDetails,
    x_SkuIsCreditEligible: 'true',
    x_SkuMeterCategory: (r) => r.meter.category,
    x_SkuMeterId: (r) => r.meter.meterId,
    x_SkuMeterName: (r) => r.meter.csv.name,
    x_SkuMeterSubcategory: (r) => r.meter.csv.subcategory,
    x_SkuOfferId: 'MS-AZR-0017G',
    x_SkuOrderId: ACCOUNT.productOrderId,
    x_SkuOrderName: 'Azure plan',
    x_SkuPartNumber: partNumber,
    x_SkuRegion: (r) => r.resource.placement.region.display,
    x_SkuServiceFamily: (r) => r.meter.serviceFamily,
    x_SkuTerm: '',
    x_SkuTier: '',
  };
}

export interface RowFormatter {
  header: string;
  format: (row: Row) => string;
}

/** The header line (without line break) and a row → CSV line function for a dialect. Runs of constant columns
 *  are joined once, so a row costs one call per varying column. */
export function rowFormatter(dialect: Dialect, calendar: Calendar): RowFormatter {
  const names = COLUMNS[dialect];
  const table: Record<string, ColumnSpec> =
    dialect === 'ea' ? eaColumns(calendar) : dialect === 'mca' ? mcaColumns(calendar) : focusColumns(calendar);
  // alternating parts: constant text (with its commas) and per-row columns
  const parts: ColumnSpec[] = [];
  names.forEach((name, i) => {
    const column = table[name];
    if (column === undefined) throw new Error(`no ${dialect} column ${name}`);
    const comma = i === 0 ? '' : ',';
    const last = parts[parts.length - 1];
    if (typeof column === 'string') {
      if (typeof last === 'string') parts[parts.length - 1] = last + comma + column;
      else parts.push(comma + column);
    } else {
      if (comma !== '') {
        if (typeof last === 'string') parts[parts.length - 1] = last + comma;
        else parts.push(comma);
      }
      parts.push(column);
    }
  });
  const [usdNum, usdDen] = ACCOUNT.usdRate;
  return {
    header: names.join(','),
    format: (row) => {
      const money: Money = {
        quantity: formatScaled(row.quantity16),
        cost: formatScaled(row.cost16),
        costUsd: formatScaled(scaleBy(row.cost16, usdNum, usdDen)),
      };
      let line = '';
      for (const part of parts) line += typeof part === 'string' ? part : part(row, money);
      return line;
    },
  };
}
