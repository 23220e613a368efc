/**
 * The areas a trainer on the public register can say they work in: the one fixed list (ADR 0029).
 * England by ceremonial county, Wales by preserved county, Scotland by council area, Northern
 * Ireland by county. Stored by `value` (a slug of the name), shown by `label`.
 */
const NATIONS: Record<string, readonly string[]> = {
  England: [
    "Bedfordshire", "Berkshire", "Bristol", "Buckinghamshire", "Cambridgeshire", "Cheshire", "City of London", "Cornwall and the Isles of Scilly", "Cumbria",
    "Derbyshire", "Devon", "Dorset", "Durham", "East Riding of Yorkshire", "East Sussex", "Essex", "Gloucestershire", "Greater London", "Greater Manchester",
    "Hampshire", "Herefordshire", "Hertfordshire", "Isle of Wight", "Kent", "Lancashire", "Leicestershire", "Lincolnshire", "Merseyside", "Norfolk",
    "North Yorkshire", "Northamptonshire", "Northumberland", "Nottinghamshire", "Oxfordshire", "Rutland", "Shropshire", "Somerset", "South Yorkshire",
    "Staffordshire", "Suffolk", "Surrey", "Tyne and Wear", "Warwickshire", "West Midlands", "West Sussex", "West Yorkshire", "Wiltshire", "Worcestershire",
  ],
  Wales: ["Clwyd", "Dyfed", "Gwent", "Gwynedd", "Mid Glamorgan", "Powys", "South Glamorgan", "West Glamorgan"],
  Scotland: [
    "Aberdeen City", "Aberdeenshire", "Angus", "Argyll and Bute", "City of Edinburgh", "Clackmannanshire", "Dumfries and Galloway", "Dundee City", "East Ayrshire",
    "East Dunbartonshire", "East Lothian", "East Renfrewshire", "Falkirk", "Fife", "Glasgow City", "Highland", "Inverclyde", "Midlothian", "Moray",
    "Na h-Eileanan Siar", "North Ayrshire", "North Lanarkshire", "Orkney Islands", "Perth and Kinross", "Renfrewshire", "Scottish Borders", "Shetland Islands",
    "South Ayrshire", "South Lanarkshire", "Stirling", "West Dunbartonshire", "West Lothian",
  ],
  "Northern Ireland": ["County Antrim", "County Armagh", "County Down", "County Fermanagh", "County Londonderry", "County Tyrone"],
};

export interface Area {
  value: string;
  label: string;
  nation: string;
}

const slug = (name: string) => name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "");

export const AREAS: readonly Area[] = Object.entries(NATIONS).flatMap(([nation, names]) => names.map((label) => ({ value: slug(label), label, nation })));

/** The areas grouped by nation, in the order above, for a select with option groups. */
export const AREA_GROUPS: readonly { nation: string; areas: readonly Area[] }[] = Object.keys(NATIONS).map((nation) => ({ nation, areas: AREAS.filter((a) => a.nation === nation) }));

const BY_VALUE = new Map(AREAS.map((a) => [a.value, a]));

export function isArea(value: string): boolean {
  return BY_VALUE.has(value);
}

/** The name shown for a stored area ("greater-london" → "Greater London"); the raw value if unknown. */
export function areaLabel(value: string): string {
  return BY_VALUE.get(value)?.label ?? value;
}
