"""Targets (addresses, ranges, files) and credential profiles, secrets kept out of sight."""

from __future__ import annotations

from pathlib import Path

import pytest

from cmdb.errors import ValidationError
from discovery.credentials import ProfileError, SnmpProfile, load_profiles, parse_profile
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
