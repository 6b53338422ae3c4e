import type { HistoryEntry } from '../../../shared/instances';
import { HISTORY_FAILED as FAILED, HISTORY_OK as OK } from '../test/fake-plugins';
import { csvCell, historyCsv, historyFileName, historyJson, isoDate } from './history-export';

describe('history CSV', () => {
  it('has a header row, one row per entry and CRLF line ends', () => {
    const csv = historyCsv([OK]);
    expect(csv).toBe(
      'when,user,action,key,from,to,sha256,result,step,error,note\r\n' +
        '2025-06-15T12:00:00.000Z,admin,update,fields,1.21.0,1.21.23,ab12,ok,,,\r\n',
    );
    expect(historyCsv([])).toBe('when,user,action,key,from,to,sha256,result,step,error,note\r\n');
  });

  it('quotes commas, quotes and newlines, and writes dates in ISO 8601', () => {
    const [, row] = historyCsv([FAILED]).split('\r\n');
    expect(row).toBe(
      '2025-06-15T12:05:00.000Z,jdoe,install,metabase,,1.3.0,,failed,extract,' +
        '"The archive is damaged, ""cut"" at 50%,\nsee the log",' +
        '"\'=HYPERLINK(""http://evil.test"",""click"")"',
    );
  });

  it('guards every cell a spreadsheet would run as a formula', () => {
    expect(csvCell('=1+1')).toBe("'=1+1");
    expect(csvCell('+33 1 23')).toBe("'+33 1 23");
    expect(csvCell('-2')).toBe("'-2");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\tcmd')).toBe("'\tcmd");
    expect(csvCell('\r=1')).toBe('"\'\r=1"');
    expect(csvCell('a=b')).toBe('a=b');
    expect(csvCell('')).toBe('');
    const entry: HistoryEntry = { ...OK, user: '@admin', key: '-x', note: '+1' };
    expect(historyCsv([entry]).split('\r\n')[1]).toBe(
      "2025-06-15T12:00:00.000Z,'@admin,update,'-x,1.21.0,1.21.23,ab12,ok,,,'+1",
    );
  });

  it('keeps a date it cannot read as written', () => {
    expect(isoDate('yesterday')).toBe('yesterday');
    expect(isoDate('2025-06-15T14:00:00+02:00')).toBe('2025-06-15T12:00:00.000Z');
  });
});

describe('history JSON and file names', () => {
  it('keeps the entries as the core wrote them', () => {
    expect(JSON.parse(historyJson([OK, FAILED]))).toEqual([OK, FAILED]);
  });

  it('names the file after the instance and the day', () => {
    const now = new Date('2025-06-15T12:00:00Z');
    expect(historyFileName('prod', now, 'csv')).toBe('marketdesk-history-prod-2025-06-15.csv');
    expect(historyFileName('glpi-10.0_test', now, 'json')).toBe('marketdesk-history-glpi-10.0_test-2025-06-15.json');
    expect(historyFileName('../a b', now, 'csv')).toBe('marketdesk-history-__a_b-2025-06-15.csv');
    expect(historyFileName('', now, 'csv')).toBe('marketdesk-history-instance-2025-06-15.csv');
  });
});
