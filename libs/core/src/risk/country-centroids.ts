/**
 * Where a country is, roughly: its centroid (one decimal degree) and a radius in km that
 * covers most of it (1.5 × the radius of a circle of the same area). It lets impossible
 * travel work from the trusted country header alone, and it is coarse by design: inside a
 * large country it sees nothing, and between neighbours it rarely fires. Coordinates from a
 * GeoIP database or the edge's headers, when there are any, always win over it.
 *
 * Compact on purpose (about 250 entries in one string): `CCLAT,LON,RADIUS` per entry.
 */
const TABLE =
  'AD42.5,1.5,18 AE24,54,245 AF33,65,683 AG17.1,-61.8,18 AI18.2,-63.2,10 AL41,20,143 AM40,45,146 ' +
  'AO-12.5,18.5,945 AR-34,-64,1411 AS-14.3,-170,12 AT47.3,13.3,245 AU-27,133,2347 AW12.5,-70,11 ' +
  'AX60.1,19.9,34 AZ40.5,47.5,249 BA44,18,191 BB13.2,-59.5,18 BD24,90,325 BE50.8,4,148 BF13,-2,443 ' +
  'BG43,25,282 BH26,50.5,24 BI-3.5,30,141 BJ9.5,2.2,287 BL17.9,-62.8,10 BM32.3,-64.8,10 BN4.5,114.7,64 ' +
  'BO-17,-65,887 BQ12.2,-68.2,15 BR-10,-55,2470 BS24.2,-76,100 BT27.5,90.5,166 BW-22,24,645 BY53,28,386 ' +
  'BZ17.2,-88.8,128 CA60,-95,2674 CC-12.5,96.8,10 CD0,25,1296 CF7,21,668 CG-1,15,495 CH47,8,172 CI8,-5,481 ' +
  'CK-21.2,-159.8,13 CL-30,-71,736 CM6,12,584 CN35,105,2622 CO4,-72,904 CR10,-84,191 CU21.5,-80,281 ' +
  'CV16,-24,54 CW12.2,-69,18 CX-10.5,105.7,10 CY35,33,81 CZ49.8,15.5,238 DE51,9,506 DJ11.5,43,129 ' +
  'DK56,10,176 DM15.4,-61.3,23 DO19,-70.7,187 DZ28,3,1306 EC-2,-77.5,451 EE59,26,180 EG27,30,847 ' +
  'EH24.5,-13,436 ER15,39,290 ES40,-4,602 ET8,38,889 FI64,26,492 FJ-18,175,114 FK-51.8,-59,93 ' +
  'FM6.9,158.2,22 FO62,-7,32 FR46,2,629 GA-1,11.8,438 GB54,-2,418 GD12.1,-61.7,16 GE42,43.5,223 ' +
  'GF4,-53,245 GG49.5,-2.6,10 GH8,-2,413 GI36.1,-5.3,10 GL72,-40,1246 GM13.5,-16.6,90 GN11,-10,420 ' +
  'GP16.2,-61.6,34 GQ2,10,142 GR39,22,307 GS-54.5,-37,53 GT15.5,-90.2,279 GU13.5,144.8,20 GW12,-15,161 ' +
  'GY5,-59,392 HK22.2,114.2,28 HN15,-86.5,284 HR45.2,15.5,201 HT19,-72.4,141 HU47,20,258 ID-5,120,1168 ' +
  'IE53,-8,224 IL31.5,34.8,122 IM54.2,-4.5,20 IN20,77,1534 IO-6,71.5,10 IQ33,44,560 IR32,53,1086 ' +
  'IS65,-18,272 IT42.8,12.8,465 JE49.2,-2.1,10 JM18.2,-77.5,89 JO31,36,253 JP36,138,520 KE1,38,645 ' +
  'KG41,75,378 KH13,105,360 KI1.4,173,24 KM-12.2,44.2,40 KN17.3,-62.8,14 KP40,127,294 KR37,127.5,268 ' +
  'KW29.5,45.8,113 KY19.5,-80.5,14 KZ48,68,1397 LA18,105,412 LB33.8,35.8,87 LC13.9,-61.1,21 LI47.2,9.5,11 ' +
  'LK7,81,217 LR6.5,-9.5,282 LS-29.5,28.5,147 LT56,24,216 LU49.8,6.2,43 LV57,25,215 LY25,17,1123 ' +
  'MA32,-5,566 MC43.7,7.4,10 MD47,29,156 ME42.5,19.3,99 MF18.1,-64,10 MG-20,47,648 MH9,168,11 ' +
  'MK41.8,22,136 ML17,-4,942 MM22,98,696 MN46,105,1058 MO22.2,113.5,10 MP15.2,145.8,18 MQ14.7,-61,28 ' +
  'MR20,-12,859 MS16.8,-62.2,10 MT35.8,14.6,15 MU-20.3,57.5,38 MV3.2,73,15 MW-13.5,34,291 MX23,-102,1186 ' +
  'MY2.5,112.5,487 MZ-18.2,35,758 NA-22,17,768 NC-21.5,165.5,115 NE16,8,953 NF-29,167.9,10 NG10,8,813 ' +
  'NI13,-85,306 NL52.5,5.8,172 NO62,10,482 NP28,84,325 NR-0.5,166.9,10 NU-19,-169.9,14 NZ-41,174,439 ' +
  'OM21,57,471 PA9,-80,232 PE-10,-76,959 PF-15,-140,55 PG-6,147,576 PH13,122,464 PK30,70,795 PL52,20,473 ' +
  'PM46.8,-56.3,13 PN-25.1,-130.1,10 PR18.2,-66.5,81 PS32,35.2,66 PT39.5,-8,257 PW7.5,134.5,18 ' +
  'PY-23,-58,540 QA25.5,51.2,91 RE-21.1,55.6,42 RO46,25,413 RS44,21,236 RU60,100,3499 RW-2,30,137 ' +
  'SA25,45,1241 SB-8,159,144 SC-4.6,55.7,18 SD15,30,1155 SE62,15,568 SG1.4,103.8,23 SH-15.9,-5.7,17 ' +
  'SI46.1,14.8,120 SJ78,20,210 SK48.7,19.5,187 SL8.5,-11.5,227 SM43.8,12.4,10 SN14,-14,375 SO10,49,676 ' +
  'SR4,-56,343 SS7,30,666 ST1,7,26 SV13.8,-88.9,123 SX18,-63,10 SY35,38,364 SZ-26.5,31.5,112 ' +
  'TC21.8,-71.6,26 TD15,19,959 TG8,1.2,202 TH15,100,606 TJ39,71,320 TK-9,-172,10 TL-8.8,125.9,103 ' +
  'TM40,60,591 TN34,9,342 TO-20,-175,23 TR39,35,749 TT11,-61,61 TV-8,178,10 TW23.5,121,161 TZ-6,35,824 ' +
  'UA49,32,657 UG1,32,415 US38,-97,2654 UY-33,-56,355 UZ41,64,567 VA41.9,12.4,10 VC13.2,-61.2,17 ' +
  'VE8,-66,810 VG18.5,-64.5,10 VI18.4,-64.9,16 VN16,106,487 VU-16,167,93 WF-13.3,-176.2,10 ' +
  'WS-13.6,-172.3,45 XK42.6,21,88 YE15,48,615 YT-12.8,45.2,16 ZA-29,24,935 ZM-15,30,734 ZW-20,30,529';

export interface CountryCentroid {
  latitude: number;
  longitude: number;
  radiusKm: number;
}

const CENTROIDS: ReadonlyMap<string, CountryCentroid> = new Map(
  TABLE.trim()
    .split(/\s+/)
    .map((entry) => {
      const [latitude, longitude, radiusKm] = entry.slice(2).split(',').map(Number);
      return [entry.slice(0, 2), { latitude, longitude, radiusKm }] as const;
    }),
);

/** The centroid of an ISO 3166-1 alpha-2 country; undefined for a code the table lacks. */
export function countryCentroid(country: string): CountryCentroid | undefined {
  return CENTROIDS.get(country);
}
