/**
 * Active ISO 4217 currency codes this API accepts: the List One codes of currencies in
 * circulation (ISO 4217 maintenance agency, SIX, list as amended to 2025, including ZWG (2024)
 * and XCG (2025)).
 *
 * Left out on purpose: precious metals (XAU, XAG, XPD, XPT), the SDR and bond-market units (XDR,
 * XSU, XUA, XBA, XBB, XBC, XBD), the testing and "no currency" codes (XTS, XXX), fund codes
 * (BOV, CHE, CHW, CLF, COU, MXV, USN, UYI, UYW), and codes already withdrawn (ANG, CUC, HRK,
 * SLL, ZWL, VEF, MRO, STD, BYR). Review this list with every ISO 4217 amendment: a code removed
 * here starts failing validation, which is the point.
 */
export const ACTIVE_CURRENCIES: ReadonlySet<string> = new Set(
  `
  AED AFN ALL AMD AOA ARS AUD AWG AZN BAM BBD BDT BHD
  BIF BMD BND BOB BRL BSD BTN BWP BYN BZD CAD CDF CHF
  CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN
  ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD
  HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES
  KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL
  LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN
  MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP
  PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK
  SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT
  TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VED VES
  VND VUV WST XAF XCD XCG XOF XPF YER ZAR ZMW ZWG
`
    .trim()
    .split(/\s+/),
);
