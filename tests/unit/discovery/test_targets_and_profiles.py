"""Targets (addresses, ranges, files) and credential profiles, secrets kept out of sight."""

from __future__ import annotations

from pathlib import Path

import pytest

from cmdb.errors import ValidationError
from discovery.credentials import (
    ProfileError,
    SnmpProfile,
    assign_profiles,
    load_profiles,
    parse_profile,
    pick_profiles,
)
from discovery.records import Target
from discovery.targets import expand_range, parse_target, parse_targets_file, unique_targets


@pytest.mark.parametrize(
    ("text", "target"),
    [
        ("10.0.0.1", Target("10.0.0.1", 161)),
        ("10.0.0.1:1161", Target("10.0.0.1", 1161)),
        ("core-sw.dc.local", Target("core-sw.dc.local", 161)),
        ("[2001:db8::1]:1161", Target("2001:db8::1", 1161)),
        ("2001:db8::1", Target("2001:db8::1", 161)),
    ],
)
def test_parse_target(text, target) -> None:
    assert parse_target(text) == target


def test_address_shows_the_port_only_when_it_is_not_161() -> None:
    assert Target("10.0.0.1").address == "10.0.0.1"
    assert Target("10.0.0.1", 1161).address == "10.0.0.1:1161"
    assert Target("2001:db8::1", 1161).address == "[2001:db8::1]:1161"
    assert parse_target(Target("2001:db8::1", 1161).address) == Target("2001:db8::1", 1161)


def test_a_range_gives_its_hosts_only() -> None:
    assert [t.host for t in expand_range("192.0.2.0/30")] == ["192.0.2.1", "192.0.2.2"]
    assert [t.host for t in expand_range("192.0.2.9/32")] == ["192.0.2.9"]


def test_a_range_is_bounded() -> None:
    with pytest.raises(ValidationError, match="limit is 4096"):
        expand_range("10.0.0.0/8")


def test_targets_file_lines_with_profiles_and_comments() -> None:
    lines = ["# DC core", "10.0.0.1 dc-v3", "", "10.0.0.2:1161   # lab", "10.0.0.1"]
    targets = unique_targets(parse_targets_file(lines))
    assert targets == [Target("10.0.0.1", 161, "dc-v3"), Target("10.0.0.2", 1161)]


def test_targets_file_errors_name_their_lines() -> None:
    with pytest.raises(ValidationError) as caught:
        parse_targets_file(["10.0.0.1:99999", "a b c"])
    assert set(caught.value.errors) == {"line 1", "line 2"}


def test_profiles_from_yaml_and_toml(tmp_path: Path) -> None:
    yaml_file = tmp_path / "p.yaml"
    yaml_file.write_text(
        "profiles:\n  dc: {version: 3, user: hr, auth_key: secret-auth, priv_key: secret-priv}\n"
        "  lab: {community: s3cret-community}\n"
    )
    toml_file = tmp_path / "p.toml"
    toml_file.write_text('[profiles.lab]\nversion = "2c"\ncommunity = "s3cret-community"\n')
    profiles = load_profiles(yaml_file)
    assert profiles["dc"].auth_protocol == "sha" and profiles["dc"].priv_protocol == "aes"
    assert load_profiles(toml_file)["lab"] == profiles["lab"]


def test_a_profile_never_shows_its_secrets() -> None:
    profile = SnmpProfile("dc", "3", None, "hr", "sha", "secret-auth", "aes", "secret-priv")
    v2c = SnmpProfile("lab", "2c", community="s3cret-community")
    for text in (repr(profile), str(profile), profile.describe(), repr(v2c), v2c.describe()):
        assert "secret" not in text
    assert profile.describe() == "dc (SNMPv3 user hr, authPriv)"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"version": "4"}, "version must be one of"),
        ({"version": "2c"}, "needs a community"),
        ({"version": "3"}, "needs a user"),
        ({"version": "3", "user": "u", "auth_key": "short"}, "at least 8 characters"),
        ({"version": "3", "user": "u", "priv_key": "long-enough"}, "needs authentication"),
        (
            {"version": "3", "user": "u", "auth_key": "long-enough", "auth_protocol": "rot13"},
            "auth_protocol",
        ),
    ],
)
def test_bad_profiles_are_refused_without_echoing_keys(raw, message) -> None:
    with pytest.raises(ProfileError, match=message) as caught:
        parse_profile("x", raw)
    assert "long-enough" not in str(caught.value)


def test_a_range_takes_the_port_given() -> None:
    assert expand_range("10.0.0.0/30", 1161) == [Target("10.0.0.1", 1161), Target("10.0.0.2", 1161)]


V3 = {"version": 3, "user": "headroom", "auth_key": "auth-key-123", "priv_key": "priv-key-456"}


def test_an_snmpv3_profile_keeps_its_context_name() -> None:
    profile = parse_profile("vlan10", {**V3, "context": "vlan-10"})
    assert profile.context == "vlan-10" and "context vlan-10" in profile.describe()
    assert parse_profile("plain", V3).context is None


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"version": "2c", "community": "c", "context": "vlan-10"}, "needs SNMPv3"),
        ({**V3, "context": "x" * 33}, "at most 32"),
    ],
)
def test_bad_context_names_are_refused(raw, message) -> None:
    with pytest.raises(ProfileError, match=message):
        parse_profile("p", raw)


PROFILES = {n: SnmpProfile(n, community=n) for n in ("a", "b", "c")}


def test_profile_lists_keep_their_order_and_name_each_profile_once() -> None:
    assert [p.name for p in pick_profiles(PROFILES, "b, a,b")] == ["b", "a"]
    with pytest.raises(ProfileError, match="no SNMP profile named 'z'"):
        pick_profiles(PROFILES, "a,z")


def test_the_remembered_profile_is_tried_first_and_a_targets_own_alone() -> None:
    run = [PROFILES["a"], PROFILES["b"]]
    pairs = assign_profiles(
        [Target("10.0.0.1"), Target("10.0.0.2"), Target("10.0.0.3", profile="c")],
        PROFILES,
        run,
        {Target("10.0.0.2"): "b", Target("10.0.0.3"): "a"},
    )
    assert [[p.name for p in tried] for _, tried in pairs] == [["a", "b"], ["b", "a"], ["c"]]


def test_a_remembered_profile_gone_from_the_file_is_skipped() -> None:
    remembered = {Target("10.0.0.1"): "x"}
    [(_, tried)] = assign_profiles([Target("10.0.0.1")], PROFILES, [PROFILES["a"]], remembered)
    assert tried == (PROFILES["a"],)
    with pytest.raises(ProfileError, match=r"no credentials for 10\.0\.0\.1"):
        assign_profiles([Target("10.0.0.1")], PROFILES, [], remembered)
