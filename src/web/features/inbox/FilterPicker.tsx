import { Button, CheckIcon, Combobox, Group, Text, useCombobox } from '@mantine/core';
import { IconChevronDown } from '@tabler/icons-react';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';

export type TPickerOption = { value: string; label: string; description?: string };

type TProps = {
  /** The filter's name, shown on the button and read by screen readers. */
  label: string;
  /** What is chosen, in words; null when the filter is off. */
  summary: string | null;
  options: TPickerOption[];
  selected: readonly string[];
  multiple?: boolean;
  searchable?: boolean;
  /** Offer the typed text itself as an option (free-form values such as tags). */
  creatable?: (text: string) => TPickerOption | null;
  /** Without it the picker has no "clear" entry (the sort always has a value). */
  onClear?: () => void;
  onChange: (values: string[]) => void;
  icon?: ReactNode;
  testId?: string;
  width?: number;
  /** The agent changed this filter (strong) rather than the view setting it (quiet). */
  changed?: boolean;
  disabled?: boolean;
  /** Show only the value on the button (the icon says what it is), and only the icon on narrow screens. */
  valueOnly?: boolean;
};

/** A compact "Label: value ▾" button opening a (searchable) list; multiple choice keeps it open. */
export const FilterPicker = ({
  label,
  summary,
  options,
  selected,
  multiple = false,
  searchable = false,
  creatable,
  onClear,
  onChange,
  icon,
  testId,
  width = 240,
  changed = false,
  valueOnly = false,
  disabled = false,
}: TProps) => {
  const { t } = useTranslation('inbox');
  const [search, setSearch] = useState('');
  const combobox = useCombobox({
    onDropdownClose: () => {
      combobox.resetSelectedOption();
      setSearch('');
    },
    onDropdownOpen: () => {
      if (searchable) combobox.focusSearchInput();
    },
  });

  const needle = search.trim().toLocaleLowerCase();
  const visible = needle
    ? options.filter((o) => `${o.label} ${o.description ?? ''}`.toLocaleLowerCase().includes(needle))
    : options;
  const created =
    creatable && needle && !visible.some((o) => o.value === search.trim()) ? creatable(search) : null;
  const list = created ? [created, ...visible] : visible;

  const pick = (value: string) => {
    if (value === '__clear') {
      onClear?.();
      combobox.closeDropdown();
      return;
    }
    if (multiple) {
      onChange(selected.includes(value) ? selected.filter((v) => v !== value) : [...selected, value]);
    } else {
      onChange([value]);
      combobox.closeDropdown();
    }
  };

  const active = summary !== null;
  return (
    <Combobox
      store={combobox}
      width={width}
      position="bottom-start"
      shadow="md"
      onOptionSubmit={pick}
      size="sm"
    >
      <Combobox.Target targetType={searchable ? 'input' : 'button'} withAriaAttributes={!searchable}>
        <Button
          size="xs"
          variant={active && changed ? 'light' : 'default'}
          px={10}
          disabled={disabled}
          leftSection={icon}
          rightSection={<IconChevronDown size={14} />}
          onClick={() => combobox.toggleDropdown()}
          aria-label={summary ? `${label}: ${summary}` : label}
          data-testid={testId}
          data-active={active || undefined}
          data-changed={changed || undefined}
          styles={{ label: { maxWidth: 260, overflow: 'hidden', textOverflow: 'ellipsis' } }}
        >
          {summary && valueOnly ? (
            <Text span size="xs" fw={600} truncate visibleFrom="md">
              {summary}
            </Text>
          ) : summary ? (
            <>
              <Text span size="xs" c="dimmed" mr={4}>
                {label}:
              </Text>
              <Text span size="xs" fw={600} truncate>
                {summary}
              </Text>
            </>
          ) : (
            label
          )}
        </Button>
      </Combobox.Target>
      <Combobox.Dropdown>
        {searchable && (
          <Combobox.Search
            value={search}
            onChange={(e) => {
              setSearch(e.currentTarget.value);
              // Enter right after typing takes the best match.
              requestAnimationFrame(() => combobox.selectFirstOption());
            }}
            placeholder={label}
            aria-label={label}
          />
        )}
        <Combobox.Options mah={300} style={{ overflowY: 'auto' }} aria-label={label}>
          {list.length === 0 && <Combobox.Empty>—</Combobox.Empty>}
          {list.map((o) => {
            const checked = selected.includes(o.value);
            return (
              <Combobox.Option value={o.value} key={o.value} active={checked} aria-selected={checked}>
                <Group gap={8} wrap="nowrap">
                  <span style={{ width: 12, display: 'inline-flex' }}>
                    {checked && <CheckIcon size={12} />}
                  </span>
                  <div style={{ minWidth: 0 }}>
                    <Text size="sm" truncate>
                      {o.label}
                    </Text>
                    {o.description && (
                      <Text size="xs" c="dimmed" truncate>
                        {o.description}
                      </Text>
                    )}
                  </div>
                </Group>
              </Combobox.Option>
            );
          })}
        </Combobox.Options>
        {onClear && active && (
          <Combobox.Footer>
            <Button variant="subtle" size="compact-xs" color="gray" onClick={() => pick('__clear')} fullWidth>
              {t('filters.clear')}
            </Button>
          </Combobox.Footer>
        )}
      </Combobox.Dropdown>
    </Combobox>
  );
};
