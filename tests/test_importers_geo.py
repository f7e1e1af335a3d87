"""Natural Earth, country_converter and pycountry (analysis/importers/geo.py);
tidy.countries_reference is in test_tidy_countries.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis import importers
from analysis.errors import FormatError
from tests.conftest import one_line
from tests.importer_files import CC, LOWRES, NE50, NE110, PLACES, PYC, check_renamed_column, check_truncated_csv, load


@pytest.mark.parametrize("rel, features, africa", [(NE110, 177, 51), (NE50, 241, 54), (PLACES, 243, None)])
def test_geojson(shared: Path, rel, features, africa) -> None:
    import geopandas as gpd

    imp = load(rel)
    assert imp.format == "geojson" and isinstance(imp.frame, gpd.GeoDataFrame) and imp.rows == features
    assert imp.frame.crs is not None and imp.frame.crs.to_epsg() == 4326
    if africa is not None:
        f = imp.frame
        assert (f.CONTINENT == "Africa").sum() == africa
        mali = f[f.ADMIN == "Mali"].iloc[0]
        assert mali.ISO_A3 == "MLI" and mali.SUBREGION == "Western Africa"
    else:
        assert {"Bamako", "Niamey", "Ouagadougou"} <= set(imp.frame["name"])


def test_naturalearth_lowres(shared: Path) -> None:
    folder = load(LOWRES)
    member = importers.read(shared / LOWRES / "naturalearth_lowres.dbf")
    for imp in (folder, member):
        f = imp.frame
        assert imp.format == "naturalearth_shapefile" and imp.rows == 177
        assert list(f.columns) == ["pop_est", "continent", "name", "iso_a3", "gdp_md_est", "geometry"]
        assert (f.continent == "Africa").sum() == 51
        mali = f[f.name == "Mali"].iloc[0]
        assert mali.iso_a3 == "MLI" and int(mali.pop_est) == 19_658_031
        assert f.loc[f.name == "France", "iso_a3"].iloc[0] == "FRA"


def test_country_tables(shared: Path) -> None:
    cc = load(CC)
    assert cc.format == "country_converter_tsv" and cc.release == "1.3.2"
    assert cc.frame.shape == (256, 53)
    mali = cc.frame[cc.frame.ISO3 == "MLI"].iloc[0]
    assert (mali.ISO2, mali.ISOnumeric, mali.continent, mali.UNregion, mali.GWcode) == (
        "ML",
        466,
        "Africa",
        "Western Africa",
        432,
    )
    assert cc.frame.loc[cc.frame.ISO3 == "NAM", "ISO2"].iloc[0] == "NA"  # Namibia, not a missing value
    pyc = load(PYC)
    assert pyc.format == "pycountry_json" and pyc.release == "26.2.16" and pyc.rows == 249
    assert pyc.frame.loc[pyc.frame.alpha_3 == "MLI", "official_name"].iloc[0] == "Republic of Mali"


def test_truncated_json_and_shapes(shared: Path, tmp_path: Path) -> None:
    for rel, fmt in ((NE110, "geojson"), (PYC, "pycountry_json")):
        data = (shared / rel).read_bytes()
        p = tmp_path / Path(rel).name
        p.write_bytes(data[: len(data) // 2])
        assert importers.detect(p) == fmt
        with pytest.raises(FormatError, match="truncated") as e:
            importers.read(p)
        assert one_line(str(e.value))
    folder = tmp_path / "lowres"
    folder.mkdir()
    for part in (shared / LOWRES).iterdir():
        data = part.read_bytes()
        (folder / part.name).write_bytes(data[: len(data) // 2] if part.suffix == ".shp" else data)
    assert importers.detect(folder) == "naturalearth_shapefile"
    with pytest.raises(FormatError, match="truncated") as e:
        importers.read(folder)
    assert one_line(str(e.value))


@pytest.mark.parametrize("rel", [CC])
def test_truncated_csv(shared: Path, tmp_path: Path, rel: str) -> None:
    check_truncated_csv(shared, tmp_path, rel)


@pytest.mark.parametrize("rel, old, new", [(CC, "GWcode", "GW")])
def test_renamed_column(shared: Path, tmp_path: Path, rel: str, old: str, new: str) -> None:
    check_renamed_column(shared, tmp_path, rel, old, new)
