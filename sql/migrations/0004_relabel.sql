-- Version 4: which configuration produced a document's sentences, so a re-transform after a configuration
-- change replaces them (and a reload with the same configuration changes nothing).
ALTER TABLE documents ADD COLUMN transform_config_hash text;
COMMENT ON COLUMN documents.transform_config_hash IS 'SHA-256 of the configuration (boilerplate, themes, transform settings) whose transform produced the document''s sentences and themes now in the warehouse; a load of the document under another configuration replaces them.';
