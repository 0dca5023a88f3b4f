-- A run store of schema version 1 (Statecraft 0.1.0): a forecast and a simulation of the
-- tiny test scenario. Kept as written, to test that later versions read and migrate it.
BEGIN TRANSACTION;
CREATE TABLE statecraft_inputs (
        hash CHAR(64) PRIMARY KEY,
        kind VARCHAR(32) NOT NULL,
        body TEXT NOT NULL);
INSERT INTO "statecraft_inputs" VALUES('db93d380b8a9d131bc3cb636e09967464bc24078943d130af61e1a5a167ccb44','scenario','{
  "name": "tiny",
  "title": "A tiny test scenario",
  "issues": [
    {
      "id": "tax",
      "label": "Tax rate",
      "scale": {
        "low_meaning": "no tax",
        "high_meaning": "all"
      },
      "status_quo": 20,
      "actual": 40
    },
    {
      "id": "date",
      "label": "Start date",
      "scale": {
        "high": 10
      }
    }
  ],
  "actors": [
    {
      "id": "a",
      "name": "Alpha",
      "capability": {
        "value": 3,
        "source": "test",
        "note": "the strongest"
      },
      "roles": [
        "belligerent"
      ],
      "stances": {
        "tax": {
          "position": 60,
          "salience": 1
        },
        "date": {
          "position": 2,
          "salience": 0.5
        }
      }
    },
    {
      "id": "b",
      "name": "Beta",
      "capability": 1,
      "stances": {
        "tax": {
          "position": 0,
          "salience": 0.5
        },
        "date": {
          "position": 8,
          "salience": 1
        }
      }
    },
    {
      "id": "c",
      "capability": 2,
      "stances": {
        "tax": {
          "position": 100,
          "salience": 0.25,
          "capability": 4
        }
      }
    }
  ]
}
');
CREATE TABLE statecraft_meta (key VARCHAR(64) PRIMARY KEY, value TEXT NOT NULL);
INSERT INTO "statecraft_meta" VALUES('schema_version','1');
CREATE TABLE statecraft_results (
        run_id VARCHAR(32) NOT NULL REFERENCES statecraft_runs (id) ON DELETE CASCADE,
        name VARCHAR(64) NOT NULL,
        key_columns TEXT NOT NULL,
        records TEXT NOT NULL,
        PRIMARY KEY (run_id, name));
INSERT INTO "statecraft_results" VALUES('c269be63','forecasts','["issue", "model"]','[{"scenario": "tiny", "issue": "tax", "label": "Tax rate", "model": "compromise", "forecast": 62.22222222222222, "status_quo": 20.0, "actual": 40.0, "error": 22.22222222222222}, {"scenario": "tiny", "issue": "tax", "label": "Tax rate", "model": "median", "forecast": 60.0, "status_quo": 20.0, "actual": 40.0, "error": 20.0}, {"scenario": "tiny", "issue": "date", "label": "Start date", "model": "compromise", "forecast": 4.4, "status_quo": null, "actual": null, "error": null}, {"scenario": "tiny", "issue": "date", "label": "Start date", "model": "median", "forecast": 2.0, "status_quo": null, "actual": null, "error": null}]');
INSERT INTO "statecraft_results" VALUES('c269be63','winners','["model", "actor"]','[{"model": "compromise", "actor": "c", "name": "c", "gain": 0.4222222222222222}, {"model": "compromise", "actor": "a", "name": "Alpha", "gain": 0.37777777777777777}, {"model": "compromise", "actor": "b", "name": "Beta", "gain": -0.4222222222222222}, {"model": "median", "actor": "a", "name": "Alpha", "gain": 0.4}, {"model": "median", "actor": "c", "name": "c", "gain": 0.4}, {"model": "median", "actor": "b", "name": "Beta", "gain": -0.4}, {"model": "actual", "actor": "a", "name": "Alpha", "gain": 0.2}, {"model": "actual", "actor": "c", "name": "c", "gain": 0.2}, {"model": "actual", "actor": "b", "name": "Beta", "gain": -0.2}]');
INSERT INTO "statecraft_results" VALUES('54785ee0','summary','["issue", "model"]','[{"issue": "tax", "model": "compromise", "draws": 20, "mean": 62.222222222222214, "median": 62.225, "p10": 62.205, "p90": 62.245000000000005, "p2.5": 62.20125000000001, "p97.5": 62.24875}, {"issue": "date", "model": "compromise", "draws": 20, "mean": 4.4, "median": 4.4025, "p10": 4.4005, "p90": 4.4045, "p2.5": 4.400125, "p97.5": 4.4048750000000005}]');
INSERT INTO "statecraft_results" VALUES('54785ee0','biggest_winner','["model", "actor"]','[{"model": "compromise", "actor": "a", "probability": 0.0}, {"model": "compromise", "actor": "b", "probability": 0.0}, {"model": "compromise", "actor": "c", "probability": 1.0}]');
CREATE TABLE statecraft_runs (
        id VARCHAR(32) PRIMARY KEY,
        created VARCHAR(40) NOT NULL,
        command VARCHAR(32) NOT NULL,
        arguments TEXT NOT NULL,
        input_hash CHAR(64) NOT NULL REFERENCES statecraft_inputs (hash),
        input_name TEXT,
        models TEXT NOT NULL,
        parameters TEXT NOT NULL,
        seed BIGINT,
        version VARCHAR(32) NOT NULL,
        status VARCHAR(16) NOT NULL,
        elapsed DOUBLE PRECISION,
        document TEXT NOT NULL);
INSERT INTO "statecraft_runs" VALUES('c269be63','2026-11-24T23:51:00.587262+00:00','forecast','{"scenario": "tiny.yaml"}','db93d380b8a9d131bc3cb636e09967464bc24078943d130af61e1a5a167ccb44','tiny','["compromise", "median"]','{"primary": "compromise", "options": {"compromise": {}, "median": {}}}',NULL,'0.1.0','complete',NULL,'{"scenario": "tiny", "title": "A tiny test scenario", "models": [{"name": "compromise", "title": "Compromise (weighted mean)", "options": {}, "citation": "Achen, C. H. (2006). Evaluating political decision-making models. In R. Thomson, F. N. Stokman, C. H. Achen & T. König (eds.), The European Union Decides, ch. 10. Cambridge University Press."}, {"name": "median", "title": "Median voter (weighted median)", "options": {}, "citation": "Black, D. (1958). The Theory of Committees and Elections. Cambridge University Press; weighted by capability x salience as in Achen (2006), The European Union Decides, ch. 10."}], "issues": {"tax": {"label": "Tax rate", "status_quo": 20.0, "actual": 40.0, "forecast": {"compromise": 62.22222222222222, "median": 60.0}, "error": {"compromise": 22.22222222222222, "median": 20.0}, "not_applicable": {}}, "date": {"label": "Start date", "status_quo": null, "actual": null, "forecast": {"compromise": 4.4, "median": 2.0}, "error": {"compromise": null, "median": null}, "not_applicable": {}}}, "primary_model": "compromise", "headline": "Biggest winner: c (+0.42); biggest loser: Beta (-0.42).", "winners": [{"actor": "c", "name": "c", "gain": 0.4222222222222222, "by_issue": {"tax": 0.4222222222222222}}, {"actor": "a", "name": "Alpha", "gain": 0.37777777777777777, "by_issue": {"tax": 0.37777777777777777}}, {"actor": "b", "name": "Beta", "gain": -0.4222222222222222, "by_issue": {"tax": -0.4222222222222222}}], "winners_by_model": {"compromise": [{"actor": "c", "name": "c", "gain": 0.4222222222222222, "by_issue": {"tax": 0.4222222222222222}}, {"actor": "a", "name": "Alpha", "gain": 0.37777777777777777, "by_issue": {"tax": 0.37777777777777777}}, {"actor": "b", "name": "Beta", "gain": -0.4222222222222222, "by_issue": {"tax": -0.4222222222222222}}], "median": [{"actor": "a", "name": "Alpha", "gain": 0.4, "by_issue": {"tax": 0.4}}, {"actor": "c", "name": "c", "gain": 0.4, "by_issue": {"tax": 0.4}}, {"actor": "b", "name": "Beta", "gain": -0.4, "by_issue": {"tax": -0.4}}]}, "actual_headline": "Biggest winner: Alpha (+0.20); biggest loser: Beta (-0.20).", "actual_winners": [{"actor": "a", "name": "Alpha", "gain": 0.2, "by_issue": {"tax": 0.2}}, {"actor": "c", "name": "c", "gain": 0.2, "by_issue": {"tax": 0.2}}, {"actor": "b", "name": "Beta", "gain": -0.2, "by_issue": {"tax": -0.2}}]}');
INSERT INTO "statecraft_runs" VALUES('54785ee0','2026-11-24T23:51:00.612303+00:00','simulate','{}','db93d380b8a9d131bc3cb636e09967464bc24078943d130af61e1a5a167ccb44','tiny','["compromise"]','{"draws": 20, "draws_done": 20, "options": {}}',1,'0.1.0','complete',NULL,'{"scenario": "tiny", "models": ["compromise"], "seed": 1, "draws": 20, "requested": 20, "interrupted": false, "uncertain_inputs": [], "issues": {"tax": {"mean": 62.222222222222214, "median": 62.225, "interval80": [62.205, 62.245000000000005], "interval95": [62.20125000000001, 62.24875], "actual": 40.0, "histogram": {"low": 0.0, "high": 100.0, "counts": [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]}}, "date": {"mean": 4.4, "median": 4.4025, "interval80": [4.4005, 4.4045], "interval95": [4.400125, 4.4048750000000005], "actual": null, "histogram": {"low": 0.0, "high": 10.0, "counts": [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]}}}, "by_model": {"compromise": {"tax": {"mean": 62.222222222222214, "median": 62.225, "interval80": [62.205, 62.245000000000005], "interval95": [62.20125000000001, 62.24875], "actual": 40.0, "histogram": {"low": 0.0, "high": 100.0, "counts": [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]}}, "date": {"mean": 4.4, "median": 4.4025, "interval80": [4.4005, 4.4045], "interval95": [4.400125, 4.4048750000000005], "actual": null, "histogram": {"low": 0.0, "high": 10.0, "counts": [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]}}}}, "biggest_winner": {"compromise": {"a": 0.0, "b": 0.0, "c": 1.0}}, "confrontation": {}}');
CREATE INDEX statecraft_runs_created ON statecraft_runs (created);
COMMIT;
