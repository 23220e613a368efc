import { SelectField } from "~/components/form";
import { AREA_GROUPS } from "./areas";

const GROUPS = AREA_GROUPS.map((group) => ({ label: group.nation, options: group.areas.map((area) => ({ value: area.value, label: area.label })) }));

/** The fixed list of areas as a select grouped by nation, with a first empty choice (`emptyLabel`). */
export function AreaSelect({ id, name, label, defaultValue, emptyLabel, error }: { id: string; name: string; label: string; defaultValue: string; emptyLabel: string; error?: string }) {
  return <SelectField id={id} name={name} label={label} defaultValue={defaultValue} placeholder={emptyLabel} options={[]} groups={GROUPS} error={error} />;
}
